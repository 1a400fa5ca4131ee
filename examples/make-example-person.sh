#!/bin/sh
# Creates a journal with one invented person, "Alex (example)", over about
# 40 weeks of weekly therapy, entirely through the securebase command line:
# relationships, sessions (a few missed, a holiday gap), the ECR answered on
# a 5-point scale every four weeks, reflections on triggers and practice of
# new responses. Nothing here is real data. The story has a setback (a
# break-up around week 15) and a sudden gain a month later.
#
#   examples/make-example-person.sh [--quiet] [JOURNAL]   (default: example-journal.db)
#
# On a terminal it shows its progress on standard error; --quiet turns that
# off. SECUREBASE names the program (default: build/securebase of this tree,
# else securebase on the PATH).
# Then: securebase report "Alex (example)" --db JOURNAL --out report.html
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
quiet=0
db=
for arg in "$@"; do
  case $arg in
    -q|--quiet) quiet=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $arg (try --help)" >&2; exit 2 ;;
    *) [ -z "$db" ] || { echo "one JOURNAL only (try --help)" >&2; exit 2; }; db=$arg ;;
  esac
done
db=${db:-example-journal.db}
if [ -n "${SECUREBASE:-}" ]; then sb=$SECUREBASE
elif [ -x "$here/build/securebase" ]; then sb=$here/build/securebase
else sb=$(command -v securebase || true)
fi
[ -n "$sb" ] && [ -x "$sb" ] || { echo "no securebase found (build first, or set SECUREBASE)" >&2; exit 1; }
[ -e "$db" ] && { echo "$db exists; give another path" >&2; exit 1; }

# Every record below is one command; the story's counts, term by term: the
# person, 5 relationships, 38 weekly sessions and the assessment session, 11
# questionnaires, 2 reflections a week in weeks 2-39, practice once a week in
# weeks 5-14 and twice in weeks 15-39.
total=$((1 + 5 + 38 + 1 + 11 + 38 * 2 + 10 + 25 * 2))
done_=0
show=0
[ "$quiet" = 0 ] && [ -t 2 ] && show=1
j() {
  "$sb" journal --db "$db" "$@" >/dev/null
  done_=$((done_ + 1))
  if [ "$show" = 1 ]; then
    printf '\r%-28s %3d%% (%d of %d records)' "example person" \
      $((done_ * 100 / total)) "$done_" "$total" >&2
  fi
}
day() { date -u -d "2025-09-01 + $1 days" +%F; }   # day 0 is Monday 1 Sep 2025
p="Alex (example)"

"$sb" journal --db "$db" init >/dev/null
j add person --name "$p" --notes "Invented person for the documentation; referred for relationship difficulties."

# ---- relationships ---------------------------------------------------------
j add relationship --person "$p" --kind partner --name Sam --supportive no --secure no \
  --start 2021-03-01 --end 2025-12-14 --notes "On-off relationship; ended in week 15."
j add relationship --person "$p" --kind friend --name Maya --supportive yes --secure yes --start 2015-09-01
j add relationship --person "$p" --kind family --name Mother --supportive no --secure no --start 1990-06-01
j add relationship --person "$p" --kind other --name "Climbing group" --supportive yes --secure yes --start "$(day 150)"
j add relationship --person "$p" --kind partner --name Jordan --supportive yes --secure yes --start "$(day 224)"

# ---- weekly sessions: missed in weeks 6, 22 and 31; a holiday in weeks 16-17
w=0
while [ "$w" -lt 40 ]; do
  case $w in
    16|17) ;;                                   # therapist's holiday: none scheduled
    6|22|31) j add session --person "$p" --date "$(day $((w * 7 + 1)))" --attended no --minutes 50 ;;
    *) j add session --person "$p" --date "$(day $((w * 7 + 1)))" --attended yes --minutes 50 ;;
  esac
  w=$((w + 1))
done
j add session --person "$p" --date "$(day 2)" --attended yes --minutes 90 --notes "Assessment session."

# ---- the ECR every four weeks, on a 5-point scale --------------------------
# Target means (avoidance = odd items, anxiety = even items; items 3, 15, 19,
# 22, 25, 27, 29, 31, 33 and 35 are reverse-keyed and answered accordingly).
ecr() {  # week anxiety avoidance
  awk -v anx="$2" -v av="$3" 'BEGIN {
    split("3 15 19 22 25 27 29 31 33 35", r, " "); for (i in r) rev[r[i]] = 1
    for (dim = 0; dim < 2; dim++) {          # 0 avoidance (odd), 1 anxiety (even)
      target = dim ? anx : av; sum = int(target * 18 + 0.5); k = 0
      for (i = 1 + dim; i <= 36; i += 2) {
        left = 18 - k; v = int(sum / left + 0.5)
        if (k % 3 == 1 && v < 5 && sum - (v + 1) >= (left - 1)) v++   # some spread
        if (v > 5) v = 5; if (v < 1) v = 1
        score[i] = v; sum -= v; k++
      }
    }
    for (i = 1; i <= 36; i++) printf "%s%d", (i > 1 ? " " : ""), (rev[i] ? 6 - score[i] : score[i])
  }'
}
set -- \
  0 3.94 3.39   4 3.83 3.33   8 3.72 3.28   12 3.67 3.22   16 3.89 3.89 \
  20 3.06 3.78   24 2.94 3.61   28 2.83 3.22   32 2.72 2.94   36 2.61 2.83 \
  40 2.50 2.72
while [ $# -ge 3 ]; do
  j add assessment --person "$p" --instrument ecr --scale 1-5 --date "$(day $(($1 * 7 + 1)))" \
    --items "$(ecr "$1" "$2" "$3")"
  shift 3
done

# ---- reflections: two a week from week 2, triggers recurring ---------------
set -- "partner slow to reply" "criticism at work" "plans cancelled" \
       "mother's phone calls" "feeling left out" "partner slow to reply" \
       "criticism at work" "conflict with a friend"
n=0
w=2
while [ "$w" -lt 40 ]; do
  for slot in 0 1; do
    i=$(( (n * 5 + w) % 8 + 1 ))
    eval trigger=\${$i}
    if [ "$w" -ge 16 ] && [ "$trigger" = "partner slow to reply" ]; then trigger="feeling left out"; fi
    # Intensity falls over the weeks; the holiday and break-up lift it.
    intensity=$(( 8 - w / 7 + (w >= 15 && w <= 18 ? 2 : 0) - slot ))
    [ "$intensity" -lt 1 ] && intensity=1
    [ "$intensity" -gt 10 ] && intensity=10
    if [ $(( (n * 7) % 10 )) -lt $(( w / 4 + 2 )) ]; then
      j add reflection --person "$p" --date "$(day $((w * 7 + 2 + slot * 3)))" --trigger "$trigger" \
        --situation "Noticed the old pull and wrote it down the same day." \
        --old-response "withdraw, or send many messages" \
        --new-response "named the feeling and asked directly" --tried yes --intensity "$intensity"
    else
      j add reflection --person "$p" --date "$(day $((w * 7 + 2 + slot * 3)))" --trigger "$trigger" \
        --situation "Noticed it only afterwards." \
        --old-response "withdraw, or send many messages" --tried no --intensity "$intensity"
    fi
    n=$((n + 1))
  done
  w=$((w + 1))
done

# ---- practice of new behaviour: from week 5, more often later --------------
set -- "asked for reassurance directly" "said no to an extra task" \
       "shared a worry with Maya" "waited before replying" \
       "stayed in a difficult conversation"
n=0
w=5
while [ "$w" -lt 40 ]; do
  times=$(( w < 15 ? 1 : 2 ))
  t=0
  while [ "$t" -lt "$times" ]; do
    i=$(( (n * 3 + w) % 5 + 1 ))
    eval behaviour=\${$i}
    r=$(( (n * 37 + w * 11) % 100 ))
    good=$(( 30 + w * 3 - (w >= 15 && w <= 18 ? 30 : 0) ))
    if [ "$r" -lt "$good" ]; then outcome=positive
    elif [ "$r" -lt $((good + 30)) ]; then outcome=mixed
    else outcome=negative; fi
    j add practice --person "$p" --date "$(day $((w * 7 + 4 + t * 2)))" --behaviour "$behaviour" --outcome "$outcome"
    t=$((t + 1)); n=$((n + 1))
  done
  w=$((w + 1))
done

[ "$show" = 1 ] && printf '\r\033[K' >&2
echo "example journal written to $db"
echo "next: $sb report \"Alex (example)\" --db $db --out report.html"
