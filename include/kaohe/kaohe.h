/* kaohe: monthly assessment and quarterly rewards for county family-planning
 * bureaus. One include for the whole library: load → assess → render →
 * deliver. */
#ifndef KAOHE_H
#define KAOHE_H

/* KAOHE_VERSION ("0.1.0") comes from project(VERSION) in CMakeLists.txt. */
#ifndef KAOHE_VERSION
#error "KAOHE_VERSION is defined by the build (CMakeLists.txt)"
#endif

#include "kaohe/diag.h"
#include "kaohe/load.h"
#include "kaohe/assess.h"
#include "kaohe/render.h"
#include "kaohe/deliver.h"

#endif
