# shellcheck shell=sh
# operators: every operator of the condition language (= != < <= > >=
# contains icontains bcontains startswith bstartswith endswith glob iglob
# pmatch in intersects exists), with lists and macros, decided in the kernel
# on real opens: each O* rule alerts exactly once, for its own group's open
# (a group stays under the eight rules a record carries); no Q* rule alerts.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
mkdir -p /tmp/fx/g1 /tmp/fx/g2 /tmp/fx/g3 /tmp/fx/g4
: >/tmp/fx/END
for g in 1 2 3 4; do
	: >/tmp/fx/g$g/OpTest.Txt
done
agent_start /scenarios/rules/operators.yaml

for g in 1 2 3 4; do
	/bin/cat /tmp/fx/g$g/OpTest.Txt
done
agent_stop cat /tmp/fx/END

expect_alerts O01 g1	# =
expect_alerts O02 g1	# !=
expect_alerts O03 g1	# <
expect_alerts O04 g1	# <=
expect_alerts O05 g1	# >
expect_alerts O06 g1	# >=
expect_alerts O07 g1	# in
expect_alerts O08 g2	# contains
expect_alerts O09 g2	# icontains
expect_alerts O10 g2	# bcontains
expect_alerts O11 g2	# startswith
expect_alerts O12 g2	# bstartswith
expect_alerts O13 g2	# endswith
expect_alerts O14 g3	# glob
expect_alerts O15 g3	# iglob
expect_alerts O16 g3	# pmatch
expect_alerts O17 g3	# intersects
expect_alerts O18 g3	# exists
expect_alerts O19 g3	# not exists
expect_alerts O20 g4	# signed <
expect_alerts O21 g4	# bool
expect_alerts O22 g4	# list
expect_alerts O23 g4	# macro
expect_alerts O24 g4	# precedence
expect_alerts O25 g4	# in numbers
expect_alerts O26 g4	# ipaddr-free !=
expect_alerts Q01 ""
expect_alerts Q02 ""
expect_alerts Q03 ""
expect_alerts Q04 ""
expect_alerts Q05 ""
expect_alerts Q06 ""
expect_alerts Q07 ""
expect_alerts Q08 ""
expect_alerts Q09 ""
expect_alerts Q10 ""
expect_alerts Q11 ""
expect_alerts Q12 ""
expect_alerts Q13 ""
expect_alerts Q14 ""
expect_alerts Q15 ""
expect_alerts Q16 ""
expect_alerts Q17 ""
expect_alerts Q18 ""
expect_alerts Q19 ""
expect_alerts Q20 ""
expect_alerts Q21 ""
expect_alerts Q22 ""
expect_alerts Q23 ""
finish operators
rmmod shrike
