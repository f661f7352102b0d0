// CCbc — the only place Barometre touches COIN-OR CBC's C API (the open mixed-integer
// solver that grades organizations in the report card; Debian `coinor-libcbc-dev`).
// Swift code uses `Stats.Grading`, never this module.
#ifndef CCBC_SHIM_H
#define CCBC_SHIM_H

#include <Cbc_C_Interface.h>

#endif
