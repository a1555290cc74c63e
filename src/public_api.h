// Included first in every library source file (forced by the build, see
// src/CMakeLists.txt). The library is compiled with hidden visibility; the
// public declarations seen here are marked default so that the functions
// defining them can be exported. libcoap-3.map then limits the export list
// to libcoap 4.3.5's API and tags it VER_3.
#pragma once

#pragma GCC visibility push(default)
#include "coap3/coap.h"
#pragma GCC visibility pop
