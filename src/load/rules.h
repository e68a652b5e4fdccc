/* rules.ini (docs/reference/rules.md), internal to the load stage.
 *
 * Reading happens in two steps because a formula may name fields that only
 * the monthly files' headers declare: kh_rules_read() first, then the
 * registry and the monthly files, then kh_rules_compile(). */
#ifndef KAOHE_LOAD_RULES_H
#define KAOHE_LOAD_RULES_H

#include "kaohe/load.h"

/* Reads PATH (UTF-8 or GB18030, BOM allowed) into ds->rules, everything
 * but the formulas (their text is kept in value_src / target_src), and adds
 * each [field.ID] to ds->fields (declared = true). Appends every problem
 * (with line, and column in the value) to diags. Returns false when the
 * file could not be read at all. */
bool kh_rules_read(kh_dataset *ds, const char *path, kh_diags *diags);

/* Parses every indicator's value and target formula against the names now
 * known (month, ds->attr_names, ds->fields). Sets used_attrs[a] for every
 * attribute some formula uses (used_attrs has kh_n_attrs(ds) entries).
 * Errors name the rules file, line, group, key and column in the value. */
void kh_rules_compile(kh_dataset *ds, bool *used_attrs, kh_diags *diags);

/* A warning, at the first indicator's weight, when the weights of all
 * indicators (whatever their `from`) do not add up to 100 (docs/reference/dataset.md). */
void kh_rules_check_weights(const kh_dataset *ds, kh_diags *diags);

/* Frees everything kh_rules_read() and kh_rules_compile() put in rules. */
void kh_rules_clear(kh_rules *rules);

#endif
