#!/usr/bin/env bats
# ssj status: what the database holds and what needs attention.

load lib

@test "an empty database: nothing imported needs attention" {
	ssj init
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"database 'ssj.db': schema 11, 0 snapshots"* ]]
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
	[[ "$output" == *"  enterprises as of snapshot 1, "*", from '$DATA/enterprises.csv'"* ]]
	[[ "$output" == *"  conflicts   as of snapshot 4, "* ]]
}

@test "stale risk classes need attention" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv"
	printf '统一社会信用代码,风险等级,分类月份\n91360202000000019L,A,2026-01\n' > r.csv
	ssj import risk r.csv
	run ssj status
	[[ "$output" == *"! the latest risk classes are of 2026-01; import the monthly classification"* ]]
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

@test "credentials that end before an upcoming window are named" {
	ssj init
	ssj import inspectors "$DATA/inspectors.csv"
	cat > ssj.yaml <<'YAML'
version: 1
plan: {id: P2099, name: 远期计划, year: 2099}
authority:
  name: 景德镇市市场监督管理局
  division: "360200"
  departments: [{code: ZJ, name: 产品质量安全监督管理科}]
items: [{code: I1, name: 事项一, department: ZJ, qualification: CCC}]
sampling:
  general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}
  key: {classes: {A: 5%, B: 10%, C: 50%, D: 100%}}
tasks:
  - id: T1
    name: 任务
    items: [I1]
    lead: ZJ
    batches:
      - {id: B1, draw: 2099-04-08, window: {from: 2099-04-13, to: 2099-05-29}}
YAML
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"B1                   draw 2099-04-08 (in "*" days)  window 2099-04-13..2099-05-29"* ]]
	[[ "$output" == *"next draw: batch 'B1' on 2099-04-08, in "*" working days"* ]]
	[[ "$output" == *"! inspector '36020019002' (李四, ZJ): credential valid until 2026-12-15, before batch 'B1' ends on 2099-05-29"* ]] ||
	    [[ "$output" == *"! inspector '36020019002' (李四, ZJ): credential expired on 2026-12-15, before batch 'B1' ends on 2099-05-29"* ]]
	# an inactive inspector, or one of another department, is not named
	[[ "$output" != *"36020019003"* ]]
	[[ "$output" == *"! batch 'B1': no official calendar for the end of its window (2099-05-29)"* ]]
}
