#!/usr/bin/env bats
# ssj status: what the database holds and what needs attention.

load lib

@test "an empty database: nothing imported needs attention" {
	ssj init
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"database 'ssj.db': schema 1, 0 snapshots"* ]]
	[[ "$output" == *"no plan at 'ssj.yaml'"* ]]
	[[ "$output" == *"! no enterprises: import them with 'ssj import enterprises FILE'"* ]]
	[[ "$output" == *"! no inspectors"* ]]
}

@test "counts per class, division and department; unclassified flagged" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv"
	ssj import risk "$DATA/risk.csv"
	ssj import inspectors "$DATA/inspectors.csv"
	ssj import conflicts "$DATA/conflicts.csv"
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"enterprises: 6, 6 in business (存续, 在业), 1 on the abnormal-operations list, 0 serious violators, 1 with a legacy 注册号"* ]]
	[[ "$output" == *"by class:  A 1  B 2  C 1  D 1  (none) 1"* ]]
	[[ "$output" == *"by division:  360202 3"* ]]
	[[ "$output" == *"inspectors: 3, 2 active, 1 experts"* ]]
	[[ "$output" == *"by department:  ZJ 2  XY 1"* ]]
	[[ "$output" == *"conflicts of interest (回避): 2 declared, 1 in force today"* ]]
	[[ "$output" == *"! 1 enterprises have no risk class"* ]]
}

@test "with the example plan: tasks, batches, credentials ending too early" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv"
	ssj import inspectors "$DATA/inspectors.csv"
	run ssj -f "$ROOT/config/examples/jingdezhen.yaml" status
	[ "$status" -eq 0 ]
	[[ "$output" == *"plan '$ROOT/config/examples/jingdezhen.yaml': 景德镇市市场监督管理局 (360200)"* ]]
	[[ "$output" == *"tasks and batches (today is "* ]]
	[[ "$output" == *" draw 2026-"* ]]
}

@test "a broken plan is reported but the status still shows" {
	ssj init
	printf 'version: 1\nbogus: 2\n' > ssj.yaml
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"ssj.yaml:2:1:"* ]]
	[[ "$output" == *"plan 'ssj.yaml' has errors; see 'ssj check'"* ]]
}
