#!/usr/bin/env bash
# `make run`: the demo service on SQLite — web server, task worker and scheduler, stopped together by Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export SSCARD_DEMO=${SSCARD_DEMO:-true}
export PORT=${PORT:-8000}
bin=.venv/bin

$bin/sscard migrate --no-input -v 0
$bin/sscard load-demo
$bin/sscard collectstatic --no-input -v 0
# Pictures a newcomer can upload on the 上传材料 step (checked by the project's own photo checks).
photos_line="演示照片：   未能生成（运行 .venv/bin/sscard demo-photos var/demo-photos 查看原因）"
if out=$($bin/sscard demo-photos var/demo-photos 2>/dev/null); then
  who=${out%%$'\n'*}  # its first line names the person
  photos_line="演示照片：   var/demo-photos/（身份证正反面和本人照片，属于 ${who#演示人员：}；申领时用此人实名认证）"
fi

# The banner waits (in the background) for the web server to answer, then shows where everything is.
banner() {
  for _ in $(seq 1 120); do
    kill -0 $$ 2>/dev/null || return 0  # the services stopped before they came up
    $bin/python -c "import urllib.request,sys; urllib.request.urlopen(\"http://127.0.0.1:$PORT/healthz\", timeout=2)" 2>/dev/null && break
    sleep 0.5
  done
  text=$(cat <<MSG

  中山市第三代社保卡 线上申领（演示）
  市民端：     http://127.0.0.1:$PORT/
  业务后台：   http://127.0.0.1:$PORT/staff/(密码 + 动态口令；系统管理后台 /staff/admin/ 仅限管理员）
  健康检查：   http://127.0.0.1:$PORT/healthz
  演示账号（工作人员，密码均为 Demo@12345，登录第二步输入动态口令；把 TOTP 密钥加入手机验证器，
              或随时运行 .venv/bin/sscard demo-staff 查看当前口令）：
$($bin/sscard demo-staff)
  市民登录：   任一手机号，验证码见 http://127.0.0.1:$PORT/dev/sms(演示短信收件箱)
              实名认证可用下列演示人员（每种情形一位）：
$($bin/sscard demo-people)
  $photos_line
  渠道接口：   http://127.0.0.1:$PORT/api/v1/docs(演示 App ID:demo-yueshengshi、demo-zsrs-h5，密钥见 docs/api.md)
  按 Ctrl-C 停止全部服务。

MSG
)
  kill -0 $$ 2>/dev/null && printf '%s\n\n' "$text"  # not after Ctrl-C
}
banner &

# One supervisor keeps the web server, the task worker and the scheduler running: it restarts one that dies
# (and says so), stops everything if one keeps crashing, and Ctrl-C stops all of them, leaving nothing behind.
# The periodic jobs (SMS sweep every minute, draft purge, lock and reminders daily, the demo's simulated
# bank and courier): `sscard scheduler --list` shows them.
exec $bin/sscard run-all
