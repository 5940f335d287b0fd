# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors

# Sphinx configuration of the guides (devtools/build-docs.sh builds them).

project = 'emunic'
copyright = '2026, The emunic authors'
version = release = '0.1.0'

master_doc = 'index'
exclude_patterns = ['_build']
highlight_language = 'none'
html_theme = 'alabaster'
html_show_sourcelink = False
