#!/bin/sh
# gpudesk cost guard: runs ON the rented instance and powers it off when its rules say so.
#
# Installed by gpudesk as ~/.gpudesk/guard/gpudesk-guard; every file it writes stays in that
# folder: rules (written by gpudesk), pid, state, hold (a postponement), notice, sample.out and
# log (bounded: past 64 KiB it becomes log.1). It needs a POSIX shell, awk, ps and date;
# nvidia-smi for the idle rule. It never reads or writes anything else in the home, never
# touches shell history or crontab, and never starts an interactive shell.
#
# Subcommands:
#   run                   the guard loop (gpudesk starts it detached: setsid, no terminal)
#   stop                  stop every guard of this user; remove its files (this script too)
#                         but the log
#   postpone SECONDS      no power-off before now + SECONDS
#   status                print the guard's files, bounded, between @-marker lines
#   find                  this user's first process whose command line contains
#                         $GPUDESK_PATTERN (lowest pid)
#   pid-exists PID        print "found" when process PID exists
#   judge THRESHOLD WINDOW_S
#                         the idle rule alone, for tests: reads "TIME STATUS FILE" lines
#                         (FILE holds one nvidia-smi output) and prints "IDLE_FOR FIRED" lines
#
# The idle rule (the same as gpudesk's GPU monitor): a sample is idle when nvidia-smi exited
# 0 and every GPU row it printed reads below the threshold; a busy sample resets the timer,
# and so does an unreadable one (no nvidia-smi, an error, no GPU row, a value that is not a
# plain number such as inf, nan or [N/A], or a utilisation over 100). Idle for WINDOW seconds
# fires once per idle period.

set -u
umask 077
# gpudesk also sends this script over stdin (sh -s SUBCOMMAND) with GPUDESK_GUARD_DIR set.
GUARD_DIR=${GPUDESK_GUARD_DIR:-$(cd "$(dirname "$0")" && pwd)}
LOG="$GUARD_DIR/log"
LOG_MAX_BYTES=65536
MARK=gpudesk-guard

log() {
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG"
    size=$(wc -c <"$LOG" 2>/dev/null || echo 0)
    if [ "$size" -gt "$LOG_MAX_BYTES" ]; then
        mv -f "$LOG" "$LOG.1"
    fi
}

# --- the idle rule --------------------------------------------------------------------------

# parse_sample STATUS FILE: prints "ok IDX:UTIL:USED:TOTAL ..." or "unreadable REASON".
parse_sample() {
    if [ "$1" != 0 ]; then
        echo "unreadable nvidia-smi exited $1"
        return
    fi
    head -c 16384 "$2" | awk '
        BEGIN { rows = ""; n = 0; bad = 0 }
        {
            line = $0
            sub(/\r$/, "", line)
            nf = split(line, f, ",")
            for (i = 1; i <= nf; i++) gsub(/^[ \t]+|[ \t]+$/, "", f[i])
            if (nf != 4 || f[1] !~ /^[0-9]+$/) next
            for (i = 2; i <= 4; i++) if (f[i] !~ /^[0-9]+(\.[0-9]+)?$/) bad = 1
            if (!bad && f[2] + 0 > 100) bad = 1
            if (bad) exit
            rows = rows sprintf(" %d:%d:%d:%d", f[1], f[2], f[3], f[4])
            n++
        }
        END {
            if (bad) print "unreadable a GPU value is not a number from 0 to 100"
            else if (n == 0) print "unreadable no GPU in the output"
            else print "ok" rows
        }'
}

# all_below THRESHOLD ROWS: true when every row's utilisation is below THRESHOLD.
all_below() {
    printf '%s\n' "$2" | awk -v t="$1" '{
        for (i = 1; i <= NF; i++) { split($i, p, ":"); if (p[2] + 0 >= t + 0) exit 1 }
    }'
}

# judge_idle NOW PARSED: updates IDLE_SINCE, IDLE_FOR and IDLE_FIRED (1 once per period).
judge_idle() {
    IDLE_FIRED=0
    case $2 in
        ok*)
            if all_below "$THRESHOLD" "${2#ok}"; then
                [ -n "$IDLE_SINCE" ] || IDLE_SINCE=$1
                IDLE_FOR=$(($1 - IDLE_SINCE))
                if [ -n "$IDLE_WINDOW" ] && [ "$IDLE_FOR" -ge "$IDLE_WINDOW" ] \
                    && [ "$IDLE_ALERTED" = 0 ]; then
                    IDLE_FIRED=1
                    IDLE_ALERTED=1
                fi
                return
            fi
            ;;
    esac
    IDLE_SINCE=
    IDLE_FOR=0
    IDLE_ALERTED=0
}

judge_main() {
    THRESHOLD=$1
    IDLE_WINDOW=$2
    IDLE_SINCE=
    IDLE_FOR=0
    IDLE_ALERTED=0
    while read -r at status file; do
        judge_idle "$at" "$(parse_sample "$status" "$file")"
        echo "$IDLE_FOR $IDLE_FIRED"
    done
}

take_sample() {
    smi=$(command -v nvidia-smi 2>/dev/null || true)
    if [ -z "$smi" ]; then
        SAMPLE="unreadable nvidia-smi not found"
        return
    fi
    if command -v timeout >/dev/null 2>&1; then
        timeout 30 "$smi" --query-gpu=index,utilization.gpu,memory.used,memory.total \
            --format=csv,noheader,nounits >"$GUARD_DIR/sample.out" 2>&1 </dev/null
    else
        "$smi" --query-gpu=index,utilization.gpu,memory.used,memory.total \
            --format=csv,noheader,nounits >"$GUARD_DIR/sample.out" 2>&1 </dev/null
    fi
    SAMPLE=$(parse_sample "$?" "$GUARD_DIR/sample.out")
}

# --- rules, state, announcements ------------------------------------------------------------

read_rules() {
    IDLE_WINDOW=
    THRESHOLD=5
    AFTER_PID=
    DEADLINE=
    MAX_SECONDS=
    GRACE=300
    INTERVAL=60
    POWER_OFF=
    while IFS= read -r line; do
        value=${line#*=}
        case $line in
            idle_window_s=*) IDLE_WINDOW=$value ;;
            idle_threshold_pct=*) THRESHOLD=$value ;;
            after_pid=*) AFTER_PID=$value ;;
            deadline=*) DEADLINE=$value ;;
            max_seconds=*) MAX_SECONDS=$value ;;
            grace_s=*) GRACE=$value ;;
            interval_s=*) INTERVAL=$value ;;
            power_off_command=*) POWER_OFF=$value ;;
        esac
    done <"$GUARD_DIR/rules"
}

write_state() {
    {
        echo "pid=$$"
        echo "started=$STARTED"
        echo "updated=$(date +%s)"
        echo "phase=$PHASE"
        echo "reason=$REASON"
        echo "idle_since=$IDLE_SINCE"
        echo "idle_for_s=$IDLE_FOR"
        echo "sample_time=$SAMPLE_TIME"
        echo "sample=$SAMPLE"
        echo "process=$PROCESS"
        echo "deadline=$DEADLINE"
        echo "grace_ends=$GRACE_ENDS"
        echo "powers_off_at=$POWERS_OFF_AT"
    } >"$GUARD_DIR/state.tmp" && mv -f "$GUARD_DIR/state.tmp" "$GUARD_DIR/state"
}

announce() {
    log "$1"
    printf '%s\n' "$1" >"$GUARD_DIR/notice.tmp" && mv -f "$GUARD_DIR/notice.tmp" "$GUARD_DIR/notice"
    if command -v wall >/dev/null 2>&1; then
        printf '%s\n' "$1" | wall >/dev/null 2>&1 || true
    fi
}

read_hold() {
    HOLD=$(head -c 32 "$GUARD_DIR/hold" 2>/dev/null || true)
    case $HOLD in '' | *[!0-9]*) HOLD=0 ;; esac
}

begin_grace() {
    REASON=$1
    GRACE_ENDS=$2
    PHASE=grace
    ANNOUNCED_HOLD=$HOLD
    at=$GRACE_ENDS
    [ "$HOLD" -gt "$at" ] && at=$HOLD
    left=$(((at - $(date +%s) + 59) / 60))
    [ "$left" -lt 0 ] && left=0
    case $REASON in
        idle) why="the GPU has been idle" ;;
        process) why="the watched process $AFTER_PID has ended" ;;
        *) why="its time is up" ;;
    esac
    if [ -n "$POWER_OFF" ]; then
        announce "gpudesk guard: this instance powers off in $left min because $why. Postpone or cancel it in gpudesk."
    else
        announce "gpudesk guard: $why; gpudesk knows no way to power this platform off from inside, stop it in the console within $left min."
    fi
}

power_off() {
    rm -f "$GUARD_DIR/pid"
    if [ -z "$POWER_OFF" ]; then
        PHASE=warned
        announce "gpudesk guard: stop this instance in the platform's console now; the guard has ended."
        write_state
        exit 0
    fi
    announce "gpudesk guard: powering off now."
    PHASE=powering_off
    write_state
    sync
    log "running the power-off command"
    sh -c "$POWER_OFF" </dev/null >>"$LOG" 2>&1
    status=$?
    log "the power-off command exited $status"
    if [ "$status" = 0 ]; then PHASE=powered_off; else PHASE=power_off_failed; fi
    write_state
    exit 0
}

process_alive() {
    ps -p "$1" -o pid= >/dev/null 2>&1
}

# --- the loop -------------------------------------------------------------------------------

on_stop() {
    [ -n "${SLEEPER:-}" ] && kill "$SLEEPER" 2>/dev/null
    log "guard $$ stopped"
    exit 0
}

run_main() {
    read_rules
    echo $$ >"$GUARD_DIR/pid.tmp" && mv -f "$GUARD_DIR/pid.tmp" "$GUARD_DIR/pid"
    trap '' HUP
    trap on_stop TERM INT
    STARTED=$(date +%s)
    [ -n "$MAX_SECONDS" ] && DEADLINE=$((STARTED + MAX_SECONDS))
    PHASE=watching REASON= GRACE_ENDS= POWERS_OFF_AT= PROCESS= SAMPLE= SAMPLE_TIME=
    IDLE_SINCE= IDLE_FOR=0 IDLE_ALERTED=0 IDLE_FIRED=0 HOLD=0 ANNOUNCED_HOLD=0 SLEEPER=
    log "guard $$ started"
    while :; do
        if [ "$(head -c 32 "$GUARD_DIR/pid" 2>/dev/null)" != "$$" ]; then
            log "guard $$ replaced; stopping"
            exit 0
        fi
        read_hold
        take_sample
        SAMPLE_TIME=$(date +%s)
        judge_idle "$SAMPLE_TIME" "$SAMPLE"
        now=$(date +%s)
        if [ -n "$AFTER_PID" ]; then
            if process_alive "$AFTER_PID"; then PROCESS=running; else PROCESS=ended; fi
        fi
        if [ "$PHASE" = watching ]; then
            if [ "$IDLE_FIRED" = 1 ]; then
                begin_grace idle $((now + GRACE))
            elif [ "$PROCESS" = ended ]; then
                begin_grace process $((now + GRACE))
            elif [ -n "$DEADLINE" ] && [ "$now" -ge $((DEADLINE - GRACE)) ]; then
                begin_grace time "$DEADLINE"
            fi
        elif [ "$REASON" = idle ] && [ "$IDLE_FOR" = 0 ]; then
            PHASE=watching REASON= GRACE_ENDS=
            announce "gpudesk guard: the GPU is busy again; the power-off is called off."
        elif [ "$HOLD" != "$ANNOUNCED_HOLD" ]; then
            ANNOUNCED_HOLD=$HOLD
            announce "gpudesk guard: the power-off is postponed to $(date -d "@$HOLD" 2>/dev/null || echo "$HOLD")."
        fi
        POWERS_OFF_AT=
        if [ "$PHASE" = grace ]; then
            POWERS_OFF_AT=$GRACE_ENDS
            [ "$HOLD" -gt "$POWERS_OFF_AT" ] && POWERS_OFF_AT=$HOLD
            [ "$now" -ge "$POWERS_OFF_AT" ] && power_off
        elif [ -n "$DEADLINE" ]; then
            POWERS_OFF_AT=$DEADLINE
            [ "$HOLD" -gt "$POWERS_OFF_AT" ] && POWERS_OFF_AT=$HOLD
        fi
        write_state
        sleep "$INTERVAL" &
        SLEEPER=$!
        wait "$SLEEPER"
        SLEEPER=
    done
}

# --- control --------------------------------------------------------------------------------

# guard_pids: the pids of this user's guard loops (not this shell).
guard_pids() {
    { ps -o pid=,args= -u "$(id -u)" 2>/dev/null || ps -eo pid=,args= 2>/dev/null; } | awk -v self=$$ '
        $1 != self && index($0, ENVIRON["GUARD_MATCH"]) { print $1 }'
}

stop_main() {
    export GUARD_MATCH="$MARK run"
    pids=$(guard_pids)
    rm -f "$GUARD_DIR/pid"
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null
        tries=0
        while [ -n "$(guard_pids)" ] && [ "$tries" -lt 50 ]; do
            sleep 0.1 2>/dev/null || sleep 1
            tries=$((tries + 1))
        done
        # shellcheck disable=SC2046
        [ -n "$(guard_pids)" ] && kill -9 $(guard_pids) 2>/dev/null
        log "stopped guard $pids"
    fi
    case $0 in *.new) ;; *) rm -f "$GUARD_DIR/$MARK.new" ;; esac
    cd "$GUARD_DIR" && rm -f "$MARK" rules rules.tmp state state.tmp hold hold.tmp notice \
        notice.tmp sample.out pid.tmp
}

postpone_main() {
    case ${1:-} in '' | *[!0-9]*) echo "postpone: seconds expected" >&2 && exit 2 ;; esac
    echo $(($(date +%s) + $1)) >"$GUARD_DIR/hold.tmp" && mv -f "$GUARD_DIR/hold.tmp" "$GUARD_DIR/hold"
}

status_main() {
    echo "@now=$(date +%s)"
    pid=$(head -c 32 "$GUARD_DIR/pid" 2>/dev/null)
    alive=0
    case $pid in
        '' | *[!0-9]*) ;;
        *) ps -p "$pid" -o args= 2>/dev/null | grep -q "$MARK run" && alive=1 ;;
    esac
    echo "@alive=$alive"
    for name in rules state hold notice; do
        echo "@$name"
        head -c 4096 "$GUARD_DIR/$name" 2>/dev/null
        echo
    done
    echo "@end"
}

find_main() {
    { ps -o pid=,ppid=,args= -u "$(id -u)" 2>/dev/null || ps -eo pid=,ppid=,args=; } |
        awk -v self=$$ '
        {
            args = $0
            sub(/^[ \t]*[0-9]+[ \t]+[0-9]+[ \t]/, "", args)
            if ($1 != self && $2 != self && index(args, ENVIRON["GPUDESK_PATTERN"]) \
                && !index(args, "gpudesk-guard")) print $1
        }' | sort -n | head -n 1
}

case ${1:-} in
    run) run_main ;;
    status) status_main ;;
    find) find_main ;;
    pid-exists) process_alive "${2:-x}" && echo found ;;
    stop) stop_main ;;
    postpone) postpone_main "${2:-}" ;;
    judge) judge_main "$2" "$3" ;;
    *) echo "usage: $MARK run|stop|postpone SECONDS|status|find|pid-exists PID|judge T W" >&2 && exit 2 ;;
esac
