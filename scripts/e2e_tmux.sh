#!/usr/bin/env bash
# Usage: scripts/e2e_tmux.sh [ROLEPLAY_COMMAND...]
#
# Plays one call in the real trainer inside a real terminal (tmux, 80x24): answers the ringing phone, picks a
# reply, hangs up, judges the call (asked before anything on screen says how the call ended), sees the
# ending at the top of the debrief, and checks the screen text at each step (Chinese included), then quits
# with q and checks the app exited cleanly. Exits 0 when every check passed; prints the screen when one fails.
# The test suite runs it where tmux is installed. Default command: .venv/bin/roleplay.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(($#)) || set -- "$root/.venv/bin/roleplay"
command -v tmux >/dev/null || { echo "e2e_tmux: tmux is not installed" >&2; exit 2; }

home=$(mktemp -d)
session="roleplay-e2e-$$"
# A tmux server of its own (-L): a session started on the shared server just as another's last session
# closed can meet that server on its way out.
tmux() { command tmux -L "$session" "$@"; }
cmd=$(printf '%q ' "$@")
stop() {  # the server, and the socket file tmux leaves behind
  local socket
  socket=$(tmux display -p '#{socket_path}' 2>/dev/null) || true
  tmux kill-server 2>/dev/null || true
  [[ -z $socket ]] || rm -f "$socket"
  rm -rf "$home"
}
trap stop EXIT
tmux new-session -d -s "$session" -x 80 -y 24 \
  "TERM=xterm-256color ROLEPLAY_HOME=$home $cmd play taobao-refund --seed 2 --lang zh; echo \"[exited \$?]\"; sleep 30"

screen() { tmux capture-pane -p -t "$session"; }
wait_for() {  # wait_for TEXT [SECONDS]: until TEXT is on screen
  local text=$1 limit=${2:-15} i
  for ((i = 0; i < limit * 4; i++)); do
    screen | grep -qF -- "$text" && return 0
    sleep 0.25
  done
  echo "e2e_tmux: waited ${limit}s for: $text" >&2
  echo "---- screen ----" >&2; screen >&2; echo "----------------" >&2
  exit 1
}
not_shown() {  # not_shown TEXT: TEXT is not on screen now
  if screen | grep -qF -- "$1"; then
    echo "e2e_tmux: on screen too early: $1" >&2
    echo "---- screen ----" >&2; screen >&2; echo "----------------" >&2
    exit 1
  fi
}
press() { tmux send-keys -t "$session" "$@"; }
# The replies are shown in an order drawn for the run: find the number the screen gives a reply.
number_of() { screen | grep -o "[0-9]\. $1" | head -1 | cut -c1; }

wait_for "未知来电"                 # the ringing phone shows the caller as a phone would
wait_for "回车：接听"
press Enter
wait_for ". 嗯，对，是我买的。怎么了，东西有问题？"  # the caller has spoken and the replies are offered
wait_for "h 挂断电话"
press "$(number_of "嗯，你先说哪家店")"
wait_for "你：嗯，你先说哪家店，我买啥你咋知道的？"
wait_for ". 哦，尾号也对，那应该没错。你接着说。"
press h
wait_for "这是诈骗电话吗？你先判断，然后再看结果。"
wait_for "通话结束。"                 # the same words whatever the ending…
wait_for "是正常来电（n）"             # …the question's answers in view at 80x24…
not_shown "你挂断了电话"              # …and nothing yet of how it ended
not_shown "结果："
press n n                            # one quick burst: "real call", then "n" again as a careless finger does
wait_for "复盘"
wait_for "通话结束：你挂断了电话"      # the ending, told now, at the top of the debrief
wait_for "结果：安全。损失金额：¥0。"
wait_for "你判断这是正常来电。它其实是诈骗。判断错了。"
wait_for "危险信号：识破 3 个，共 3 个"
sleep 1
wait_for "复盘"                       # the second n was spent on the question: still the debrief, no new call
not_shown "回车：接听"
press q
wait_for "[exited 0]"
echo "e2e_tmux: all checks passed"
