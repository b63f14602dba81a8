/* compiler.h - the compiler as other programs use it: shrike-agent loads
 * rules files (loader.h), selects rules as Falco's -D/-T/-t and `rules:` do
 * (select.h), compiles them into a table (codegen.h) and answers Falco's
 * -V/--validate with shrikec's own validate (cli.h). The one compiler header
 * a program outside compiler/ includes. */
#ifndef SHRIKEC_COMPILER_H
#define SHRIKEC_COMPILER_H

#include "cli.h"
#include "codegen.h"
#include "loader.h"
#include "select.h"

#endif
