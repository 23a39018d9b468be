#!/bin/sh
# Writes a call-center CSV export to stdout: a header and COUNT rows (default 1000), one call per
# row, one distinct customer per row (phone 139xxxxxxxx, name 客户N), in the column names of
# connectors/callcenter-csv.conf. FIRST numbers the first row (default 1), so files generated
# with different FIRST values share no customers. ENCODING=gb18030 converts the output with iconv.
# BAD_EVERY=N gives every row whose number is a multiple of N an impossible date (February 30th),
# so the connector rejects it.
set -eu
count="${1:-1000}"
first="${FIRST:-1}"
bad="${BAD_EVERY:-0}"
generate() {
    awk -v count="$count" -v first="$first" -v bad="$bad" 'BEGIN {
        print "通话时间,主叫号码,客户姓名,坐席工号,通话结果,通话时长,备注"
        split("已接通 未接通 回拨 转接", results, " ")
        for (i = first; i < first + count; i++) {
            t = 1709254800 + i
            when = bad > 0 && i % bad == 0 ? "2024-02-30 10:00:00" : strftime("%Y-%m-%d %H:%M:%S", t, 1)
            printf "%s,139%08d,客户%d,A%03d,%s,%d,\"第%d通, 备注\"\n", when, i, i, i % 50, results[i % 4 + 1], i % 600, i
        }
    }'
}
case "${ENCODING:-utf-8}" in
    gb18030|GB18030|gbk|GBK) generate | iconv -f UTF-8 -t GB18030 ;;
    *) generate ;;
esac
