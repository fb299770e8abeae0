/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The form names are searched in: accents dropped, lower case, any other
 * character (apostrophe, hyphen, space) a single space, trimmed.
 * "D'Angelo Nicolò" → "d angelo nicolo". belfiore-gen.py folds the same way. */
char *sp_text_fold (const char *text);

G_END_DECLS
