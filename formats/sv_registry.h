/*
 * sv_registry.h - the table of readers and the choice among them.
 */
#ifndef SV_REGISTRY_H
#define SV_REGISTRY_H

#include "sv_format.h"

/*
 * The reader with the highest probe score above 0 for this member, or
 * NULL when no reader claims it (a known kind with no reader yet, or an
 * unknown file when even the fallback declines).
 */
const struct sv_format_ops *sv_registry_choose(const struct sv_layout *lay,
					       const uint8_t *head, size_t n);

/* For --help and reports: the readers in registration order. */
size_t sv_registry_count(void);
const struct sv_format_ops *sv_registry_at(size_t i);

#endif
