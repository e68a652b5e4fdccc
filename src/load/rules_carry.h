/* An earlier year's rules.ini carried into a new year, for `kaohe init
 * --from` (rules_carry.c). Internal to the load stage and the CLI. */
#ifndef KAOHE_LOAD_RULES_CARRY_H
#define KAOHE_LOAD_RULES_CARRY_H

#include "kaohe/load.h"

/* old's rules.ini (as its file holds it, comments included) for new_year:
 *  - [assessment] year becomes new_year, and every deadline moves by as
 *    many years (29 February becomes the 28th in a year without one);
 *    nothing else changes, and every other place that still names the old
 *    year as a number of its own is pointed out;
 *  - comment lines saying the file is generated and must not be edited
 *    (a generator's, e.g. samples/make_sample.py's) are dropped: the new
 *    file is the user's to edit;
 *  - the notes of skeleton (the scheme a plain `kaohe init` writes for
 *    new_year) that the file lacks are put back: its header, the banner
 *    above the first group of each kind, the note above each key that has
 *    no comment of its own;
 *  - fields the old year knew only from monthly headers get a [field.ID]
 *    declaration at the end.
 * Returns UTF-8 text with "\n" line ends, or NULL after an error in notes
 * (the file cannot be read). Warnings are located in new_path, at the
 * lines of the returned text. Caller frees. */
char *kh_rules_carry(const kh_dataset *old, int new_year, const char *skeleton,
                     const char *new_path, kh_diags *notes);

#endif
