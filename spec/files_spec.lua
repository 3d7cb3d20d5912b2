-- siqun.files (issue 12): a user's files are sacred.  One routine writes
-- every file (report.write, report.write_doc, report.sqlite go through
-- it): no existing file is replaced without force, even by a second writer
-- at the same moment; with force only a regular file is replaced (its
-- permission bits kept); nothing partial is ever seen; no temporary is
-- left after an error, a signal, or (for the unnamed O_TMPFILE) a SIGKILL;
-- messages name the user's path only.  Existence is judged by lstat, never
-- by opening the file.  Reading refuses what is not a regular file without
-- blocking, and a file larger than asked before reading it.
--
-- Several tests run a writer in a process of its own (V.lua with this
-- checkout's paths): to kill it, to send it signals, to race two of them,
-- to run it under a file-size limit or as another user.

local compat = require "siqun.compat"
local ipairs = compat.ipairs
local files = require "siqun.files"
local report = require "siqun.report"
local siqun = require "siqun"
local helper = require "spec.helper.files"
local V = require "spec.lua_version"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function sh(cmd) return V.execute(cmd .. " >/dev/null 2>&1") end

local function out_of(cmd)
  local p = assert(V.popen(cmd))
  local s = p:read("*a")
  p:close()
  return s
end

-- Every name in dir, hidden ones too, sorted.
local function ls(dir)
  local t = {}
  for name in out_of("ls -A " .. q(dir)):gmatch("[^\n]+") do t[#t + 1] = name end
  table.sort(t)
  return t
end

local function mode(path) return out_of("stat -c %a " .. q(path)):match("%d+") end

local ROOT = out_of("id -u"):match("^0%s") ~= nil
local HAS_SETPRIV = sh("command -v setpriv")

-- A temporary's name must never reach a message.
local function no_temp_in(msg)
  assert.is_string(msg)
  assert.is_nil(msg:find("siqun-", 1, true), msg)
  assert.is_nil(msg:find("%.tmp"), msg)
end

-- Runs the Lua source src in a process of its own (arguments args, shell
-- words); returns its exit code, stdout and stderr.  prefix goes before
-- the interpreter (ulimit, setpriv ...).
local SCRIPTS = helper.tmpdir()
assert(sh("chmod 755 " .. q(SCRIPTS))) -- (read by another user, below)
-- The processes load the core.so under test when they run the same Lua
-- (make coverage's counts them), except under make asan (which needs
-- libasan preloaded: spec/helper/sanitize.lua).  Absolute paths: some run
-- in another directory.
local HERE = out_of("pwd"):match("[^\n]+")
local same_lua = not os.getenv("SIQUN_SPEC_LUA") and _VERSION == "Lua 5.4"
local CPATH = same_lua and not os.getenv("SIQUN_SANITIZE")
              and package.cpath:match("^[^;]*build[^;]*%?%.so") or V.cpath
if CPATH:sub(1, 1) ~= "/" then CPATH = HERE .. "/" .. CPATH end
local LPATH = HERE .. "/lua/?.lua;" .. HERE .. "/lua/?/init.lua;;"
local ENV = V.env(LPATH, CPATH .. ";;")
-- (the plain build, for a process under a file-size limit: make coverage's
-- counts, written at its exit, would pass it)
local ENV_PLAIN = V.env(LPATH, (V.cpath:sub(1, 1) == "/" and "" or HERE .. "/") .. V.cpath .. ";;")
-- Root runs some scripts as nobody (setpriv), who may not reach this
-- checkout (a clone in a `mktemp -d` directory is 0700): those load a
-- copy of the Lua layer and of core.so, made once in SCRIPTS.
local NOBODY = "setpriv --reuid=65534 --regid=65534 --clear-groups"
local ENV_NOBODY
local function env_nobody()
  if not ENV_NOBODY then
    local copy = SCRIPTS .. "/checkout"
    local so = CPATH:gsub("%?", "siqun/core")
    assert(sh(("mkdir -p %s/lib/siqun && cp -R %s %s/lua && cp %s %s/lib/siqun/core.so && chmod -R a+rX %s")
      :format(q(copy), q(HERE .. "/lua"), q(copy), q(so), q(copy), q(copy))))
    ENV_NOBODY = V.env(copy .. "/lua/?.lua;" .. copy .. "/lua/?/init.lua;;", copy .. "/lib/?.so;;")
  end
  return ENV_NOBODY
end

local nscript = 0
local function script(src)
  nscript = nscript + 1
  local path = ("%s/s%d.lua"):format(SCRIPTS, nscript)
  helper.write(path, src)
  return path
end
local function run(src, args, prefix, env)
  local path = script(src)
  local err = path .. ".err"
  local p = assert(V.popen(("%s env %s %s %s %s 2>%s"):format(prefix or "", env or ENV, V.lua,
                                                              q(path), args or "", q(err))))
  local out = p:read("*a")
  local _, _, code = p:close()
  return code, out, helper.read(err)
end

-- Starts src in the background, as the child of a shell that waits for
-- it (so that it is reaped as soon as it ends): its pid, and a function
-- that returns once it has ended.
local function start(src, args)
  local path = script(src)
  local p = assert(io.popen(("exec 2>/dev/null; %s %s %s %s </dev/null >/dev/null & echo $!; wait $!; echo"):format(
    ENV, V.lua, q(path), args or "")))
  local pid = tonumber(p:read("*l"))
  return pid, function()
    p:read("*a")
    p:close()
  end
end

local function make_socket(path)
  return sh(("perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) "
             .. "or die' %s"):format(q(path)))
end

-- Every kind of file that is not a regular one, made in dir: name -> the
-- kind siqun.files.kind gives, and the phrase of the message.
local function odd_files(dir)
  local t = {}
  assert(sh("mkdir " .. q(dir .. "/adir")))
  t[#t + 1] = { "adir", "directory", "is a directory" }
  assert(sh("mkfifo " .. q(dir .. "/fifo")))
  t[#t + 1] = { "fifo", "fifo", "is a FIFO" }
  helper.write(dir .. "/target.txt", "the target\n")
  assert(sh(("ln -s target.txt %s"):format(q(dir .. "/link"))))
  t[#t + 1] = { "link", "symlink", "is a symbolic link" }
  assert(sh(("ln -s nowhere %s"):format(q(dir .. "/dangling"))))
  t[#t + 1] = { "dangling", "symlink", "is a symbolic link" }
  if make_socket(dir .. "/sock") then
    t[#t + 1] = { "sock", "socket", "is a socket" }
  end
  -- a device node of our own where we may make one (root); /dev/null
  -- itself otherwise (which nobody else could replace anyway)
  if ROOT and sh("mknod " .. q(dir .. "/null") .. " c 1 3") then
    t[#t + 1] = { "null", "character device", "is a character device" }
  else
    t[#t + 1] = { "/dev/null", "character device", "is a character device", abs = true }
  end
  return t
end

local STRATEGIES = { { name = "O_TMPFILE", opts = {} }, { name = "named", opts = { named = true } } }
local function with(opts, extra)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end

teardown(helper.cleanup)

describe("siqun.files.kind", function()
  it("names every kind of file, without following a symbolic link", function()
    local dir = helper.tmpdir()
    helper.write(dir .. "/f", "x")
    assert.equal("file", files.kind(dir .. "/f"))
    for _, k in ipairs(odd_files(dir)) do
      local path = k.abs and k[1] or dir .. "/" .. k[1]
      assert.equal(k[2], files.kind(path), path)
    end
    local block = out_of("find /dev -maxdepth 1 -type b 2>/dev/null | head -n 1"):match("[^\n]+")
    if block then
      assert.equal("block device", files.kind(block))
      assert.same({ nil, block .. ": is a block device (only regular files are replaced)",
                    "notregular" }, { files.check(block, { force = true }) })
    end
  end)

  it("gives nil for nothing, and nil, message, errno name for an error", function()
    local dir = helper.tmpdir()
    assert.is_nil(files.kind(dir .. "/none"))
    assert.is_nil(files.kind(dir .. "/none/deeper"))
    helper.write(dir .. "/f", "x")
    assert.is_nil(files.kind(dir .. "/f/deeper"))
    local long = dir .. "/" .. ("x"):rep(300)
    local k, msg, code = files.kind(long)
    assert.is_nil(k)
    assert.equal(long .. ": File name too long", msg)
    assert.equal("ENAMETOOLONG", code)
  end)
end)

describe("siqun.files.check", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  it("says what save would refuse, before anything is written", function()
    assert.is_true(files.check(dir .. "/new.csv"))
    helper.write(dir .. "/old.csv", "x")
    assert.same({ nil, dir .. "/old.csv: file exists", "exists" }, { files.check(dir .. "/old.csv") })
    assert.is_true(files.check(dir .. "/old.csv", { force = true }))
    assert.same({ nil, dir .. "/no/new.csv: no such directory", "nodir" },
                { files.check(dir .. "/no/new.csv") })
    assert.same({ nil, dir .. "/old.csv/x: no such directory", "nodir" },
                { files.check(dir .. "/old.csv/x") })
    local long = dir .. "/" .. ("x"):rep(300)
    assert.same({ nil, long .. ": File name too long", "ENAMETOOLONG" }, { files.check(long) })
    -- a name without a directory is in the current one (the checkout's)
    assert.same({ nil, "README.md: file exists", "exists" }, { files.check("README.md") })
    assert.is_true(files.check("no-such-file.siqun-spec"))
    assert.same({ "old.csv" }, ls(dir))
  end)

  it("refuses every kind that is not a regular file, with and without force", function()
    for _, k in ipairs(odd_files(dir)) do
      local path = k.abs and k[1] or dir .. "/" .. k[1]
      for _, force in ipairs { false, true } do
        local ok, msg, code = files.check(path, { force = force })
        assert.is_nil(ok, path)
        assert.equal(path .. ": " .. k[3] .. " (only regular files are replaced)", msg)
        assert.equal("notregular", code)
      end
    end
    for _, name in ipairs { "/", "/.", "/.." } do
      local ok, msg, code = files.check(dir .. name, { force = true })
      assert.is_nil(ok)
      assert.equal(dir .. name .. ": is a directory (only regular files are replaced)", msg)
      assert.equal("notregular", code)
    end
  end)
end)

describe("siqun.files.save", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  for _, st in ipairs(STRATEGIES) do
    describe("(" .. st.name .. ")", function()
      it("writes a new file and never replaces one without force", function()
        local path = dir .. "/out.csv"
        assert.is_true(files.save(path, "a,b\n", st.opts))
        assert.equal("a,b\n", helper.read(path))
        helper.write(dir .. "/probe", "") -- (io.open makes it 0666 & ~umask too)
        assert.equal(mode(dir .. "/probe"), mode(path))
        os.remove(dir .. "/probe")
        local ok, msg, code = files.save(path, "other", st.opts)
        assert.is_nil(ok)
        assert.equal(path .. ": file exists", msg)
        assert.equal("exists", code)
        assert.equal("a,b\n", helper.read(path))
        assert.is_true(files.save(path, { "x", "", "y\n" }, with(st.opts, { force = true })))
        assert.equal("xy\n", helper.read(path))
        assert.is_true(files.save(dir .. "/empty", "", st.opts))
        assert.equal("", helper.read(dir .. "/empty"))
        assert.same({ "empty", "out.csv" }, ls(dir))
      end)

      it("keeps the permission bits of the file it replaces", function()
        local path = dir .. "/keep.txt"
        helper.write(path, "old")
        for _, m in ipairs { "640", "600", "755", "444" } do
          assert(sh(("chmod %s %s"):format(m, q(path))))
          assert.is_true(files.save(path, "new " .. m, with(st.opts, { force = true })))
          assert.equal(m, mode(path))
          assert.equal("new " .. m, helper.read(path))
        end
        assert.same({ "keep.txt" }, ls(dir))
      end)

      it("refuses every kind that is not a regular file, even with force", function()
        local kinds = odd_files(dir)
        local before = ls(dir)
        for _, k in ipairs(kinds) do
          local path = k.abs and k[1] or dir .. "/" .. k[1]
          for _, force in ipairs { false, true } do
            local ok, msg, code = files.save(path, "data", with(st.opts, { force = force }))
            assert.is_nil(ok, path)
            assert.equal(path .. ": " .. k[3] .. " (only regular files are replaced)", msg)
            assert.equal("notregular", code)
            assert.equal(k[2], files.kind(path))
          end
        end
        assert.equal("the target\n", helper.read(dir .. "/target.txt"))
        assert.equal("nowhere", out_of("readlink " .. q(dir .. "/dangling")):match("[^\n]+"))
        assert.same(before, ls(dir))
      end)

      it("leaves nothing behind on every error, and names only the user's path", function()
        helper.write(dir .. "/f", "x")
        assert(sh("ln -s loop " .. q(dir .. "/loop")))
        local cases = {
          { dir .. "/no/x.csv", "no such directory", "nodir" },
          { dir .. "/f/x.csv", "no such directory", "nodir" },
          { dir .. "/loop/x.csv", "Too many levels of symbolic links", "ELOOP" },
          { dir .. "/" .. ("é"):rep(128), "File name too long", "ENAMETOOLONG" },
          { dir .. "/", "is a directory (only regular files are replaced)", "notregular" },
          { dir .. "/.", "is a directory (only regular files are replaced)", "notregular" },
          { dir .. "/..", "is a directory (only regular files are replaced)", "notregular" },
        }
        for _, c in ipairs(cases) do
          for _, force in ipairs { false, true } do
            local ok, msg, code = files.save(c[1], ("z"):rep(100000), with(st.opts, { force = force }))
            assert.is_nil(ok)
            assert.equal(c[1] .. ": " .. c[2], msg)
            assert.equal(c[3], code)
            no_temp_in(msg)
          end
        end
        assert.same({ "f", "loop" }, ls(dir))
      end)

      it("writes a file whose name is too long to put whole in a temporary's", function()
        local name = "x" .. ("é"):rep(110) .. ".txt" -- 225 bytes; cut inside an é
        assert.is_true(files.save(dir .. "/" .. name, "long", st.opts))
        assert.is_true(files.save(dir .. "/" .. name, "longer", with(st.opts, { force = true })))
        assert.equal("longer", helper.read(dir .. "/" .. name))
        assert.same({ name }, ls(dir))
      end)

      it("is refused a directory it cannot write, and leaves nothing", function()
        local sub = dir .. "/ro"
        assert(sh("chmod 755 " .. q(dir) .. " && mkdir " .. q(sub) .. " && chmod 555 " .. q(sub)))
        local src = ([[
          local files = require "siqun.files"
          print(files.save(%q, "x", { named = %s }))
          print(files.save(%q, "x", { named = %s, force = true }))
          print(files.check(%q))]]):format(sub .. "/x", tostring(st.opts.named == true),
                                             sub .. "/x", tostring(st.opts.named == true), sub .. "/x")
        local code, out, err
        if ROOT then
          if not HAS_SETPRIV then return pending("root without setpriv: skipped") end
          code, out, err = run(src, "", NOBODY, env_nobody())
        else
          code, out, err = run(src)
        end
        assert.equal(0, code, err)
        local denied = ("nil\t%s/x: Permission denied\tEACCES\n"):format(sub)
        assert.equal(denied:rep(3), out)
        assert.same({}, ls(sub))
      end)

      it("reports a file too large for RLIMIT_FSIZE, and the process lives on", function()
        local path = dir .. "/big.bin"
        helper.write(path, "old")
        local src = ([[
          local files = require "siqun.files"
          print(files.save(%q, ("b"):rep(200000), { named = %s }))
          print(files.save(%q, { "a", ("b"):rep(200000) }, { named = %s, force = true }))]]):format(
          dir .. "/new.bin", tostring(st.opts.named == true), path, tostring(st.opts.named == true))
        local code, out, err = run(src, "", "ulimit -f 8;", ENV_PLAIN)
        assert.equal(0, code, err)
        assert.equal(("nil\t%s/new.bin: File too large\tEFBIG\nnil\t%s: File too large\tEFBIG\n")
                     :format(dir, path), out)
        assert.equal("old", helper.read(path))
        assert.same({ "big.bin" }, ls(dir))
      end)
    end)
  end

  it("judges existence without reading: an unreadable file is kept", function()
    local path = dir .. "/secret.txt"
    helper.write(path, "keep me")
    assert(sh("chmod 000 " .. q(path)))
    local src = ([[
      local files, report = require "siqun.files", require "siqun.report"
      print(files.check(%q))
      print(files.save(%q, "new"))
      print(report.write_doc({ title = "t", blocks = {} }, "csv", %q))]]):format(path, path, path)
    local code, out, err
    if ROOT then
      -- root reads any file: the writer runs as nobody, in a directory
      -- nobody may write (so that reading, not writing, is what fails)
      if not HAS_SETPRIV then return pending("root without setpriv: skipped") end
      assert(sh("chmod 777 " .. q(dir)))
      assert(sh(("%s cat %s"):format(NOBODY, q(path))) == nil)
      code, out, err = run(src, "", NOBODY, env_nobody())
    else
      code, out, err = run(src)
    end
    assert.equal(0, code, err)
    local exists = ("nil\t%s: file exists\texists\n"):format(path)
    assert.equal(exists .. exists .. ("nil\t%s: file exists (pass force to replace it)\texists\n")
                 :format(path), out)
    assert(sh("chmod 600 " .. q(path)))
    assert.equal("keep me", helper.read(path))
    assert.same({ "secret.txt" }, ls(dir))
  end)

  it("uses a named temporary where the filesystem has no O_TMPFILE (procfs)", function()
    -- procfs refuses O_TMPFILE and then the temporary: what it says is the error
    for _, f in ipairs {
      function(p) return files.save(p, "x") end,
      function(p) return files.save_with(p, function() error("not reached") end) end,
    } do
      local path = "/proc/files-spec-" .. math.random(1e9)
      local ok, msg, code = f(path)
      assert.is_nil(ok)
      assert.equal(path .. ": ", msg:sub(1, #path + 2))
      assert.matches("^E[A-Z]+$", code)
      no_temp_in(msg)
      assert.is_nil(files.kind(path))
    end
  end)

  it("writes a name without a directory in the current one", function()
    local code, out, err = run([[
      local files = require "siqun.files"
      print(files.save("a.txt", "A"), files.save("a.txt", "B"))
      print(files.save_with("b.db", function(tmp)
        io.write(tmp:match("^%.b%.db%.siqun%-") and "hidden beside it " or tmp)
        local f = io.open(tmp, "wb") f:write("B") f:close()
        return true
      end))]], "", "cd " .. q(dir) .. " &&")
    assert.equal(0, code, err)
    assert.equal("true\tnil\ta.txt: file exists\texists\nhidden beside it true\n", out)
    assert.same({ "a.txt", "b.db" }, ls(dir))
  end)

  it("the binding refuses bad arguments itself (siqun.core.files)", function()
    local C = require("siqun.core").files
    for _, c in ipairs {
      { function() return C.kind(42) end, "string expected, got number" },
      { function() return C.kind("") end, "path expected, got an empty string" },
      { function() return C.check("a\0b") end, "path expected, got a string with a NUL byte" },
      { function() return C.save("x", 42) end, "string or table expected, got number" },
      { function() return C.save("x", { "a", 1 }) end, "string expected at index 2, got number" },
      { function() return C.read("x", -1) end, "non-negative integer expected" },
      { function() return C.tty_columns("x") end, "file expected, got string" },
      { function() return C.temp(nil) end, "string expected, got nil" },
    } do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.matches(c[2], err, 1, true)
    end
    local f = assert(io.open(dir .. "/f", "w"))
    f:close()
    assert.is_nil(C.tty_columns(f))
    local t = assert(C.temp(dir .. "/t.db", false))
    assert.equal("siqun.TempFile: " .. dir .. "/t.db", tostring(t))
    assert.is_true(t:commit())
    assert.equal("siqun.TempFile: " .. dir .. "/t.db (done)", tostring(t))
    assert.has_error(function() t:commit() end, "siqun.TempFile: already committed or discarded")
    assert.is_true(t:discard())
    assert.equal("", helper.read(dir .. "/t.db"))
    assert.same({ "f", "t.db" }, ls(dir))
  end)

  it("lets exactly one of two writers racing for a new file win", function()
    local src = [[
      local files = require "siqun.files"
      local dir, who, rounds, named = arg[1], arg[2], tonumber(arg[3]), arg[4] == "named"
      local out = {}
      for i = 1, rounds do
        local body = (who .. " " .. i .. "\n"):rep(20000)
        local ok, msg, code = files.save(dir .. "/r" .. i, body, { named = named })
        out[#out + 1] = i .. " " .. (ok and "ok" or code .. " " .. msg)
      end
      io.write(table.concat(out, "\n"), "\n")]]
    local path = script(src)
    for _, st in ipairs { "tmpfile", "named" } do
      local d = helper.tmpdir()
      local rounds = 60
      local cmd = ("%s %s %s %s A %d %s > %s/A.out & %s %s %s %s B %d %s > %s/B.out & wait"):format(
        ENV, V.lua, q(path), q(d), rounds, st, q(SCRIPTS), ENV, V.lua, q(path), q(d), rounds, st,
        q(SCRIPTS))
      assert(V.execute(cmd))
      local res = { A = {}, B = {} }
      for who in pairs(res) do
        for line in helper.read(SCRIPTS .. "/" .. who .. ".out"):gmatch("[^\n]+") do
          local i, rest = line:match("^(%d+) (.*)$")
          res[who][tonumber(i)] = rest
        end
      end
      for i = 1, rounds do
        local a, b = res.A[i], res.B[i]
        local winner = a == "ok" and "A" or "B"
        local loser = winner == "A" and b or a
        assert.equal("ok", res[winner][i], st .. " round " .. i)
        assert.equal(("exists %s/r%d: file exists"):format(d, i), loser, st .. " round " .. i)
        assert.equal((winner .. " " .. i .. "\n"):rep(20000), helper.read(d .. "/r" .. i))
      end
      assert.equal(rounds, #ls(d))
    end
  end)

  -- A writer saving a large string in a loop, killed: each file is absent
  -- or whole, and no temporary is left (O_TMPFILE: none can be; a named
  -- temporary, or the O_TMPFILE given a name to replace a file with force,
  -- can be left only by SIGKILL, and only one).
  local KILLED = [[
    local files = require "siqun.files"
    local dir, named, force = arg[1], arg[2] == "named", arg[3] == "force"
    local big = {}
    for i = 1, 8 do big[i] = (string.char(64 + i)):rep(1048576) end
    for i = 1, 100000 do
      local name = force and "/f" or "/k" .. i
      assert(files.save(dir .. name, big[i % 8 + 1], { named = named, force = force }))
      if not force and i > 2 then os.remove(dir .. "/k" .. i - 2) end -- (disk space)
      if i == 3 then io.open(dir .. "/../started-" .. arg[4], "w"):close() end
    end]]
  local function killed(named, force, sig)
    local d = helper.tmpdir()
    local work = d .. "/w"
    assert(sh("mkdir " .. q(work)))
    local pid, wait = start(KILLED, ("%s %s %s x"):format(q(work), named and "named" or "tmpfile",
                                                         force and "force" or "new"))
    for _ = 1, 400 do
      if io.open(d .. "/started-x") then break end
      sh("sleep 0.05")
    end
    sh("sleep 0.0" .. math.random(2, 9))
    assert(sh(("kill -%s %d"):format(sig, pid)))
    wait()
    local names, strays = ls(work), {}
    for _, name in ipairs(names) do
      if name:match("^%.") then
        strays[#strays + 1] = name
      else -- whole: its size, and one letter from end to end (sampled)
        local f = assert(io.open(work .. "/" .. name, "rb"))
        assert.equal(1048576, f:seek("end"), name)
        f:seek("set", 0)
        local letter = f:read(1)
        for at = 0, 1048575, 4099 do
          f:seek("set", at)
          assert.equal(letter, f:read(1), name)
        end
        f:close()
      end
    end
    assert.is_true(#names > #strays, "nothing was written")
    return strays
  end

  it("leaves no temporary when killed (O_TMPFILE, new files)", function()
    if not require("siqun.core").files.has_tmpfile(helper.tmpdir()) then
      return pending("no O_TMPFILE on this filesystem (overlayfs before Linux 6.6): skipped")
    end
    assert.same({}, killed(false, false, "KILL"))
  end)

  it("leaves at most its one named temporary when killed by SIGKILL", function()
    for _, c in ipairs { { true, false }, { true, true }, { false, true } } do
      local strays = killed(c[1], c[2], "KILL")
      assert.is_true(#strays <= 1)
      for _, s in ipairs(strays) do assert.matches("^%.[fk]%d*%.siqun%-[a-z0-9]+$", s) end
    end
  end)

  it("finishes the file it writes before SIGTERM, SIGINT or SIGHUP ends it", function()
    for _, sig in ipairs { "TERM", "INT", "HUP" } do
      for _, c in ipairs { { true, false }, { true, true }, { false, true } } do
        assert.same({}, killed(c[1], c[2], sig), sig)
      end
    end
  end)
end)

describe("siqun.files.save_with", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  it("puts the file its writer made in place, and refuses before calling it", function()
    local path = dir .. "/out.db"
    local seen
    assert.is_true(files.save_with(path, function(tmp)
      seen = tmp
      assert.equal(dir .. "/.out.db.siqun-", tmp:sub(1, #dir + 15))
      assert.equal("file", files.kind(tmp))
      helper.write(tmp, "made by fn")
      return true
    end))
    assert.equal("made by fn", helper.read(path))
    assert.is_nil(files.kind(seen))
    local called = false
    local ok, msg, code = files.save_with(path, function() called = true return true end)
    assert.same({ nil, path .. ": file exists", "exists" }, { ok, msg, code })
    assert.is_false(called)
    assert(sh("chmod 604 " .. q(path)))
    assert.is_true(files.save_with(path, function(tmp)
      helper.write(tmp, "again")
      return true
    end, { force = true }))
    assert.equal("again", helper.read(path))
    assert.equal("604", mode(path))
    assert.same({ "out.db" }, ls(dir))
  end)

  it("removes its temporary and a journal when the writer fails or raises", function()
    local path = dir .. "/x.db"
    local ok, msg, code = files.save_with(path, function(tmp)
      helper.write(tmp, "half")
      helper.write(tmp .. "-journal", "j")
      return nil, "could not"
    end)
    assert.same({ nil, "could not", "failed" }, { ok, msg, code })
    assert.same({}, ls(dir))
    local raised
    ok, raised = pcall(files.save_with, path, function(tmp)
      helper.write(tmp, "half")
      helper.write(tmp .. "-wal", "w")
      error("interrupted!")
    end)
    assert.is_false(ok)
    assert.matches("interrupted!$", raised)
    assert.same({}, ls(dir))
    ok, raised = pcall(files.save_with, path, function() error({ "a table" }) end)
    assert.is_false(ok)
    assert.same({ "a table" }, raised)
    assert.same({}, ls(dir))
  end)

  it("refuses a file someone else made meanwhile, and a writer that moved its file", function()
    local path = dir .. "/y.db"
    local ok, msg, code = files.save_with(path, function(tmp)
      helper.write(tmp, "mine")
      helper.write(path, "theirs")
      return true
    end)
    assert.same({ nil, path .. ": file exists", "exists" }, { ok, msg, code })
    assert.equal("theirs", helper.read(path))
    ok, msg, code = files.save_with(dir .. "/z.db", function(tmp)
      assert(os.rename(tmp, dir .. "/moved"))
      helper.write(tmp, "another")
      return true
    end)
    assert.same({ nil, dir .. "/z.db: the new file was moved or replaced while it was written",
                  "changed" }, { ok, msg, code })
    no_temp_in(msg)
    assert.same({ "moved", "y.db" }, ls(dir))
  end)

  it("refuses at the end a path made something else meanwhile, even with force", function()
    local path = dir .. "/w.db"
    helper.write(path, "old")
    local ok, msg, code = files.save_with(path, function(tmp)
      helper.write(tmp, "new")
      assert(sh("rm " .. q(path) .. " && mkfifo " .. q(path)))
      return true
    end, { force = true })
    assert.same({ nil, path .. ": is a FIFO (only regular files are replaced)", "notregular" },
                { ok, msg, code })
    assert.equal("fifo", files.kind(path))
    assert.same({ "w.db" }, ls(dir))
  end)

  it("refuses what is not a regular file, even with force", function()
    for _, k in ipairs(odd_files(dir)) do
      local path = k.abs and k[1] or dir .. "/" .. k[1]
      local ok, msg, code = files.save_with(path, function() error("not reached") end,
                                            { force = true })
      assert.is_nil(ok)
      assert.equal(path .. ": " .. k[3] .. " (only regular files are replaced)", msg)
      assert.equal("notregular", code)
    end
  end)

  it("lets SIGINT and SIGTERM arrive only once the temporary is gone", function()
    local src = [[
      local files = require "siqun.files"
      local pid = io.open("/proc/self/stat"):read("*l"):match("^%d+")
      local ok = files.save_with(arg[1] .. "/s.db", function(tmp)
        os.execute("kill -" .. arg[2] .. " " .. pid)
        local f = io.open(tmp, "wb")
        f:write(("s"):rep(100000))
        f:close()
        return true
      end)
      print("saved", ok)]]
    for _, sig in ipairs { "INT", "TERM" } do
      local d = helper.tmpdir()
      local code, out, err = run(src, q(d) .. " " .. sig)
      assert.is_true(code ~= 0, sig)
      if sig == "INT" then assert.matches("interrupted!", err, 1, true) end
      assert.equal("", out)
      assert.same({ "s.db" }, ls(d))
      assert.equal(("s"):rep(100000), helper.read(d .. "/s.db"))
    end
  end)
end)

describe("siqun.files.read and open", function()
  local dir
  before_each(function() dir = helper.tmpdir() end)

  it("reads a regular file, through a symbolic link too", function()
    helper.write(dir .. "/a.txt", "abc\0def")
    assert(sh("ln -s a.txt " .. q(dir .. "/l")))
    assert.equal("abc\0def", files.read(dir .. "/a.txt"))
    assert.equal("abc\0def", files.read(dir .. "/l", { max = 7 }))
    assert.same({ nil, dir .. "/a.txt: 7 bytes, more than the 6 expected", "toolarge" },
                { files.read(dir .. "/a.txt", { max = 6 }) })
    assert.same({ nil, dir .. "/none: No such file or directory", "ENOENT" },
                { files.read(dir .. "/none") })
    -- a file that says it is empty and is not (/proc), read whole or refused
    local status = assert(files.read("/proc/self/status"))
    assert.matches("VmHWM", status)
    assert.matches("VmHWM", files.read("/proc/self/status", { max = 1e6 }))
    local ok, msg, code = files.read("/proc/self/status", { max = 10 })
    assert.same({ nil, "/proc/self/status: grew past the 10 bytes expected", "toolarge" },
                { ok, msg, code })
  end)

  it("refuses at once what is not a regular file (a FIFO does not block)", function()
    assert(sh("mkfifo " .. q(dir .. "/fifo")))
    assert(sh("mkdir " .. q(dir .. "/d")))
    local cases = { { dir .. "/fifo", "is a FIFO" }, { dir .. "/d", "is a directory" },
                    { "/dev/zero", "is a character device" } }
    if make_socket(dir .. "/sock") then cases[#cases + 1] = { dir .. "/sock", "is a socket" } end
    for _, c in ipairs(cases) do
      assert.same({ nil, c[1] .. ": " .. c[2] .. " (only regular files are read)", "notregular" },
                  { files.read(c[1]) })
      assert.same({ nil, c[1] .. ": " .. c[2] .. " (only regular files are read)", "notregular" },
                  { files.open(c[1]) })
    end
  end)

  it("opens a regular file to read in pieces", function()
    helper.write(dir .. "/p.txt", "0123456789")
    local s = assert(files.open(dir .. "/p.txt"))
    assert.equal("siqun.FileStream: " .. dir .. "/p.txt", tostring(s))
    assert.equal(10, s:size())
    assert.equal("012", s:read(3))
    assert.equal("3456789", s:read(1e9))
    assert.is_nil(s:read(1))
    assert.is_true(s:close())
    assert.is_true(s:close())
    assert.matches("closed", tostring(s))
    assert.has_error(function() s:read(1) end, "attempt to use a closed siqun.FileStream")
    assert.has_error(function() s:size() end, "attempt to use a closed siqun.FileStream")
    s = assert(files.open(dir .. "/p.txt"))
    assert.has_error(function() s:read(0) end)
    assert.has_error(function() s.read(io.stdout, 1) end)
  end)

  it("reads as another user may: a file it may not read is an error", function()
    local path = dir .. "/secret"
    helper.write(path, "s")
    assert(sh("chmod 600 " .. q(path) .. " && chmod 755 " .. q(dir)))
    local src = ("print(require('siqun.files').read(%q))"):format(path)
    local code, out, err
    if ROOT then
      if not HAS_SETPRIV then return pending("root without setpriv: skipped") end
      code, out, err = run(src, "", NOBODY, env_nobody())
    else
      assert(sh("chmod 000 " .. q(path)))
      code, out, err = run(src)
    end
    assert.equal(0, code, err)
    assert.equal(("nil\t%s: Permission denied\tEACCES\n"):format(path), out)
  end)
end)

describe("siqun.files.tty_columns", function()
  it("gives the terminal's width, or nil for what is no terminal", function()
    local f = assert(io.open(helper.tmpdir() .. "/f", "w"))
    assert.is_nil(files.tty_columns(f))
    f:close()
    assert.is_nil(files.tty_columns(f))
    assert.has_error(function() files.tty_columns("stdout") end,
                     "bad argument #1 to 'tty_columns' (file expected, got string)")
    if not sh("command -v script") then return pending("no script(1): skipped") end
    local path = script("io.write(tostring(require('siqun.files').tty_columns(io.stdout)), '|', "
                        .. "tostring(require('siqun.files').tty_columns(io.stdin)))")
    local out = out_of(("script -qec %s /dev/null </dev/null"):format(
      q(("stty cols 97 rows 20; %s %s %s"):format(ENV, V.lua, q(path)))))
    assert.matches("97|", out, 1, true)
  end)
end)

describe("the writers through siqun.files", function()
  local dir
  local art = assert(siqun.open())
  before_each(function() dir = helper.tmpdir() end)
  local doc = { title = "t", blocks = { { kind = "para", text = "p" } } }

  it("report.write and write_doc refuse what is not a regular file, even with force", function()
    for _, k in ipairs(odd_files(dir)) do
      local path = k.abs and k[1] or dir .. "/" .. k[1]
      for _, force in ipairs { false, true } do
        for _, call in ipairs {
          function() return report.write_doc(doc, "text", path, { force = force }) end,
          function() return report.write("people", art, "csv", path, { force = force }) end,
        } do
          local ok, msg, code = call()
          assert.is_nil(ok)
          assert.equal(path .. ": " .. k[3] .. " (only regular files are replaced)", msg)
          assert.equal("notregular", code)
          assert.equal(k[2], files.kind(path))
        end
      end
    end
  end)

  it("report.sqlite leaves no hidden file after a failure", function()
    if not pcall(require, "luasql.sqlite3") then return pending("no LuaSQL: skipped") end
    local path = dir .. "/s.db"
    local ok, msg = report.sqlite(art, path, { keys = {
      members = { pk = { "term", "n" }, fks = { { fields = { "term" }, table = "places",
                                                  ref = { "id" } } } } } })
    assert.is_nil(ok)
    no_temp_in(msg)
    assert.same({}, ls(dir))
    assert(sh("mkfifo " .. q(path)))
    assert.same({ nil, path .. ": is a FIFO (only regular files are replaced)", "notregular" },
                { report.sqlite(art, path, { force = true }) })
    assert(sh("rm " .. q(path) .. " && ln -s nowhere " .. q(path)))
    assert.same({ nil, path .. ": is a symbolic link (only regular files are replaced)",
                  "notregular" }, { report.sqlite(art, path) })
    assert.same({ "s.db" }, ls(dir))
  end)
end)
