# A fair "group by request" peer for the benchmark: keys every execution-log line by its `(request id)` prefix,
# counts the lines of each request and keeps its last `Method completed with status:` value.
# Input: S3-export lines `<time> (<request id>) <message>`. Run with: mawk -f group.awk FILE
{
    id = $2
    if (substr(id, 1, 1) != "(") { orphans++; next }
    lines[id]++
    if (index($0, "Method completed with status:")) status[id] = $NF
}
END {
    for (id in lines) { requests++; if (id in status) counted[status[id]]++ }
    printf "%d requests, %d orphan lines\n", requests, orphans
    for (s in counted) printf "status %s: %d\n", s, counted[s]
}
