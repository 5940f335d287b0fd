/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Guest-side tool (built static, runs in the busybox initramfs): read or
 * write a 32-bit register of a PCI BAR through its sysfs resource file.
 *
 *   bar_peek /sys/bus/pci/devices/D/resourceN OFFSET [VALUE]
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	unsigned long off, page;
	volatile uint32_t *reg;
	uint8_t *base;
	int fd;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s RESOURCE OFFSET [VALUE]\n", argv[0]);
		return 2;
	}
	off = strtoul(argv[2], NULL, 0);
	page = off & ~4095ul;
	fd = open(argv[1], O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	base = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	reg = (volatile uint32_t *)(base + (off - page));
	if (argc == 4)
		*reg = (uint32_t)strtoul(argv[3], NULL, 0);
	else
		printf("0x%08x\n", *reg);
	munmap(base, 4096);
	close(fd);
	return 0;
}
