// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: the one place that instantiates the tracepoints of sb_trace.h.
 */
#include "sb_core.h"

#define CREATE_TRACE_POINTS
#include "sb_trace.h"
