# Writes trainlint(1) from the executable's own help: `trainlint --help` and
# each command's `--help`, so the man page says what the binary says.
#
#   cmake -DTRAINLINT=path/to/trainlint -DOUTPUT=trainlint.1[.gz] -P TrainlintManPage.cmake

if(NOT TRAINLINT OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DTRAINLINT=EXE -DOUTPUT=FILE -P ${CMAKE_CURRENT_LIST_FILE}")
endif()

function(help_of out)
  execute_process(COMMAND "${TRAINLINT}" ${ARGN}
    OUTPUT_VARIABLE _text RESULT_VARIABLE _status)
  if(_status)
    message(FATAL_ERROR "trainlint: '${TRAINLINT} ${ARGN}' failed: ${_status}")
  endif()
  # roff: a backslash is written \e, and a line may not start with a dot or
  # a quote, which would make it a request.
  string(REPLACE "\\" "\\e" _text "${_text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" _text "${_text}")
  set(${out} "${_text}" PARENT_SCOPE)
endfunction()

help_of(_version --version)
string(REGEX MATCH "trainlint [0-9][^\n]*" _title "${_version}")
help_of(_main --help)

set(_page ".TH TRAINLINT 1 \"\" \"${_title}\" \"User Commands\"
.SH NAME
trainlint \\- find what makes C++ training code slow
.SH SYNOPSIS
.B trainlint
.I COMMAND
[options]
.SH DESCRIPTION
.nf
${_main}.fi
.SH VERSION
.nf
${_version}.fi
")
foreach(_command check list-checks merge validate plugin-path)
  help_of(_help ${_command} --help)
  string(APPEND _page ".SH \"TRAINLINT ${_command}\"\n.nf\n${_help}.fi\n")
endforeach()
string(APPEND _page ".SH SEE ALSO
.BR clang-tidy (1);
the documentation in /usr/share/doc/trainlint/docs/ (or share/doc/trainlint/docs/
under the install prefix).
")

# Installs may run side by side (a test and a package build): each writes
# its own files and renames the result into place. An OUTPUT ending in .gz is
# compressed, as Debian installs man pages.
string(RANDOM LENGTH 8 _suffix)
get_filename_component(_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
set(_page_file "${OUTPUT}.${_suffix}.page")
file(WRITE "${_page_file}" "${_page}")
if(OUTPUT MATCHES "\\.gz$")
  file(ARCHIVE_CREATE OUTPUT "${OUTPUT}.${_suffix}" PATHS "${_page_file}"
    FORMAT raw COMPRESSION GZip)
  file(REMOVE "${_page_file}")
else()
  file(RENAME "${_page_file}" "${OUTPUT}.${_suffix}")
endif()
file(RENAME "${OUTPUT}.${_suffix}" "${OUTPUT}")
