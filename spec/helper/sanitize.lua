-- busted helper for `make asan` and `make valgrind` (--helper=...): when the
-- suite runs instrumented (SIQUN_SANITIZE set), the commands the specs run
-- (make, cc, lua5.4 bin/siqun, sqlite3, chromium ...) must not inherit the
-- instrumentation: under ASan, LD_PRELOAD carries libasan and the
-- sanitized core.so into every child (valgrind does not follow children:
-- there this only drops the variables).  Each command is prefixed so that its
-- shell drops those variables before running it; the children then use the
-- normal build (LUA_CPATH_5_4='build/?.so;;' in the specs).  Without
-- SIQUN_SANITIZE this file changes nothing.
if not os.getenv("SIQUN_SANITIZE") then return end

local PREFIX = "unset LD_PRELOAD SIQUN_SANITIZE SIQUN_SLOW ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; "

local execute, popen = os.execute, io.popen

os.execute = function(cmd, ...) -- luacheck: ignore 122
  if cmd == nil then return execute() end
  return execute(PREFIX .. cmd, ...)
end

io.popen = function(cmd, ...) -- luacheck: ignore 122
  return popen(PREFIX .. cmd, ...)
end
