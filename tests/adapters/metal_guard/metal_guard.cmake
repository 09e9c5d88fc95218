# SPDX-License-Identifier: MIT
# ctest adapters_metal_guard (off Apple): cmake -DCXX=... -DINCLUDE=... -DSRC=... -DOUT=... -P metal_guard.cmake
# 1. Without VECTA_WITH_METAL, vecta/adapters/metal.hpp compiles to nothing (metal_guard.cpp checks it).
# 2. With -DVECTA_WITH_METAL=1 the compile fails with the header's #error message.
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${CXX}" -std=c++20 -Wall -Wextra -Werror -I "${INCLUDE}" -c "${SRC}" -o "${OUT}/off.o"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "metal.hpp without VECTA_WITH_METAL must compile to nothing, but:\n${out}${err}")
endif()
execute_process(COMMAND "${CXX}" -std=c++20 -DVECTA_WITH_METAL=1 -I "${INCLUDE}" -c "${SRC}" -o "${OUT}/on.o"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "metal.hpp with VECTA_WITH_METAL=1 compiled off Apple; expected its #error")
endif()
if(NOT err MATCHES "VECTA_WITH_METAL needs macOS")
  message(FATAL_ERROR "metal.hpp with VECTA_WITH_METAL=1 failed without the expected #error:\n${err}")
endif()
string(REGEX MATCH "[^\n]*VECTA_WITH_METAL needs macOS[^\n]*" line "${err}")
message(STATUS "off: compiled to nothing; on: ${line}")
