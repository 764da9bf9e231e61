// A stand-in for fmt's <fmt/format.h>: see core.h.
#pragma once

#include "core.h"
