/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * VERSION capabilities: the JSON object each side states, parsed with
 * json-c and checked field by field.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vfio_user_internal.h"

#define PAGE_4K 4096u

/* The spec's defaults for what a peer does not state. */
static void
caps_defaults(struct vfio_user_peer_caps *c)
{
	c->max_msg_fds = 1;
	c->max_data_xfer_size = VFIO_USER_DEFAULT_XFER;
	c->max_dma_maps = RTE_VFIO_USER_MAX_DMA_MAPS;
	c->pgsizes = PAGE_4K;
	c->write_multiple = false;
}

/* A JSON integer in [min, max], or -EINVAL. */
static int
get_uint(json_object *obj, const char *key, uint64_t min, uint64_t max,
		uint64_t *out)
{
	json_object *v;
	int64_t x;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -EINVAL;
	errno = 0;
	x = json_object_get_int64(v);
	if (errno != 0 || x < 0 || (uint64_t)x < min || (uint64_t)x > max)
		return -EINVAL;
	*out = (uint64_t)x;
	return 1;
}

static bool
valid_pgsizes(uint64_t pgsizes)
{
	return pgsizes != 0 && (pgsizes & (PAGE_4K - 1)) == 0;
}

static int
parse_migration(json_object *caps)
{
	json_object *mig;
	uint64_t v;

	if (!json_object_object_get_ex(caps, "migration", &mig))
		return 0;
	if (!json_object_is_type(mig, json_type_object))
		return -EINVAL;
	if (get_uint(mig, "pgsize", PAGE_4K, UINT64_MAX, &v) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(mig, "pgsize", NULL) && !valid_pgsizes(v))
		return -EINVAL;
	if (get_uint(mig, "max_bitmap_size", 0, UINT64_MAX, &v) < 0)
		return -EINVAL;
	return 0;
}

static int
parse_caps(struct vfio_user_peer_caps *peer, json_object *caps)
{
	json_object *v;
	uint64_t x;
	int rc;

	rc = get_uint(caps, "max_msg_fds", 0, 1024, &x);
	if (rc < 0)
		return rc;
	if (rc)
		peer->max_msg_fds = x;
	rc = get_uint(caps, "max_data_xfer_size", 1, UINT32_MAX, &x);
	if (rc < 0)
		return rc;
	if (rc)
		peer->max_data_xfer_size = x;
	rc = get_uint(caps, "max_dma_maps", 1, UINT32_MAX, &x);
	if (rc < 0)
		return rc;
	if (rc)
		peer->max_dma_maps = x;
	rc = get_uint(caps, "pgsizes", 1, UINT64_MAX, &x);
	if (rc < 0 || (rc && !valid_pgsizes(x)))
		return -EINVAL;
	if (rc)
		peer->pgsizes = x;
	if (json_object_object_get_ex(caps, "write_multiple", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return -EINVAL;
		peer->write_multiple = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(caps, "twin_socket", &v) &&
	    !json_object_is_type(v, json_type_object))
		return -EINVAL;
	return parse_migration(caps);
}

/* Parse "{capabilities: {...}}" of exactly len bytes, NUL included. */
int
vfio_user_version_parse(struct vfio_user_peer_caps *peer, const char *json,
		size_t len)
{
	json_object *root, *caps;
	int rc = 0;

	caps_defaults(peer);
	if (len == 0)
		return 0;
	if (json[len - 1] != '\0' || strlen(json) != len - 1)
		return -EINVAL;
	root = json_tokener_parse(json);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EINVAL;
	}
	if (json_object_object_get_ex(root, "capabilities", &caps)) {
		if (json_object_is_type(caps, json_type_object))
			rc = parse_caps(peer, caps);
		else
			rc = -EINVAL;
	}
	json_object_put(root);
	return rc;
}

char *
vfio_user_version_reply_json(const struct vfio_user_peer_caps *peer,
		uint32_t max_dma_maps, size_t *len)
{
	char *s = NULL;
	int n;

	/*
	 * Our limits are always stated (QEMU assumes 8 fds otherwise);
	 * write_multiple only when the client offered it.
	 */
	n = asprintf(&s, "{\"capabilities\":{\"max_msg_fds\":%u,"
		"\"max_data_xfer_size\":%u,\"max_dma_maps\":%u,"
		"\"pgsizes\":%u%s}}",
		RTE_VFIO_USER_MAX_MSG_FDS, RTE_VFIO_USER_MAX_DATA_XFER,
		max_dma_maps, PAGE_4K,
		peer->write_multiple ? ",\"write_multiple\":true" : "");
	if (n < 0)
		return NULL;
	*len = (size_t)n + 1;
	return s;
}

int
vfio_user_parse_server_caps(struct rte_vfio_user_server_caps *caps,
		const char *json, size_t len)
{
	struct vfio_user_peer_caps pc;
	int rc;

	rc = vfio_user_version_parse(&pc, json, len);
	if (rc < 0)
		return rc;
	caps->max_msg_fds = pc.max_msg_fds;
	caps->max_data_xfer_size = pc.max_data_xfer_size;
	caps->max_dma_maps = pc.max_dma_maps;
	caps->pgsizes = pc.pgsizes;
	caps->write_multiple = pc.write_multiple;
	return 0;
}
