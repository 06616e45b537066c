#!/bin/sh
# Renders the HTML report of SampleLogs in headless Chromium at 1280x800 and 390x844, fails on JavaScript errors,
# and leaves screenshots in /tmp for a human to look at. Run by hand (not by `swift test` or CI, which must not need
# Chromium):   apt-get install -y chromium && Tests/gatelogTests/html-check.sh [REPORT.html]
set -eu
cd "$(dirname "$0")/../.."
out=${GATELOG_HTML_CHECK_DIR:-/tmp/gatelog-html-check}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "html-check: chromium not found (apt-get install -y chromium)" >&2; exit 2; }

if [ $# -ge 1 ]; then
    cp "$1" "$out/report.html"
else
    swift build -q
    status=0
    .build/debug/gatelog report SampleLogs --format html -o "$out/report.html" || status=$?
    [ "$status" -eq 0 ] || { echo "html-check: gatelog exited $status" >&2; exit 1; }
fi

# A copy that records JavaScript errors in the DOM: an error handler runs before the page's own script, and the
# page sets data-ready="1" on <html> when its script has run to the end.
sed 's|<head>|<head><script>window.__errors=[];window.addEventListener("error",function(e){document.documentElement.setAttribute("data-js-errors",(document.documentElement.getAttribute("data-js-errors")\|\|"")+" "+e.message);});</script>|' \
    "$out/report.html" > "$out/report-check.html"
# For the DOM check only: exercise the table script — sort the routes by requests both ways, then filter them all away.
sed 's|</body>|<script>(function(){try{var t=document.getElementById("t-routes"),th=t.tHead.rows[0].cells[1];th.click();var d=t.tBodies[0].rows[0].cells[1].getAttribute("data-v");th.click();var a=t.tBodies[0].rows[0].cells[1].getAttribute("data-v");var i=document.querySelector("input[data-filter=t-routes]");i.value="no-such-route-zz";i.dispatchEvent(new Event("input"));var v=Array.prototype.filter.call(t.tBodies[0].rows,function(r){return !r.hidden;}).length;document.documentElement.setAttribute("data-check",(Number(d)>Number(a)?"sorted":"unsorted")+" visible="+v);}catch(e){document.documentElement.setAttribute("data-js-errors","check: "+e.message);}})();</script></body>|' \
    "$out/report-check.html" > "$out/report-dom.html"
url="file://$out/report-check.html"
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files --no-first-run --disable-extensions"

failed=0
# shellcheck disable=SC2086
"$browser" $flags --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "file://$out/report-dom.html" > "$out/dom.html" 2> "$out/console.log" || true
if grep -q 'data-js-errors=' "$out/dom.html"; then
    echo "html-check: JavaScript errors:" >&2
    grep -o 'data-js-errors="[^"]*"' "$out/dom.html" >&2
    failed=1
fi
if grep -E -q 'Uncaught|SyntaxError|ReferenceError|TypeError' "$out/console.log"; then
    echo "html-check: errors on the browser console:" >&2
    grep -E 'Uncaught|SyntaxError|ReferenceError|TypeError' "$out/console.log" >&2
    failed=1
fi
if ! grep -q 'data-check="sorted visible=0"' "$out/dom.html"; then
    echo "html-check: sorting or filtering the routes table did not work: $(grep -o 'data-check="[^"]*"' "$out/dom.html" || echo no result)" >&2
    failed=1
fi
if ! grep -q 'data-ready="1"' "$out/dom.html"; then
    echo "html-check: the page script did not run to the end" >&2
    failed=1
fi
if grep -q 'Content-Security-Policy' "$out/console.log" && grep -q 'Refused' "$out/console.log"; then
    echo "html-check: the content security policy blocked something:" >&2
    grep 'Refused' "$out/console.log" >&2
    failed=1
fi

# The top of the page, then each section on its own (a copy of the page that hides the other sections; the
# drill-down with every request opened), so that each screenshot shows one part at the real viewport width.
for section in top charts causes routes principals requests; do
    page="$out/section-$section.html"
    if [ "$section" = top ]; then
        cp "$out/report-check.html" "$page"
    else
        sed -e "s|</head>|<style>body>header,main>section:not(#$section){display:none}</style></head>|" \
            -e 's|<details class="req"|<details open class="req"|g' "$out/report-check.html" > "$page"
    fi
    for size in 1280,800 390,844; do
        name="$out/report-$(echo "$size" | tr , x)-$section.png"
        # shellcheck disable=SC2086
        "$browser" $flags --window-size="$size" --virtual-time-budget=3000 --screenshot="$name" "file://$page" 2>> "$out/console.log" >/dev/null || true
        [ -s "$name" ] || { echo "html-check: no screenshot of $section at $size" >&2; failed=1; }
    done
done

if [ "$failed" -ne 0 ]; then
    echo "html-check: FAILED (files in $out)" >&2
    exit 1
fi
echo "html-check: no JavaScript errors; screenshots in $out:"
ls "$out"/*.png
