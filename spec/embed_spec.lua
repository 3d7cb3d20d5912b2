-- Embedding (issue 5): siqun from C without Lua, the static host with
-- empty package paths, 16 lua_States on 16 threads under ThreadSanitizer,
-- and the C library installed with a pkg-config file.  Each part builds
-- what it needs through make (so the spec runs alone too).

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local core = require "siqun.core"

local function run(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  local ok, _, code = p:close()
  return ok == true, out, code
end

local function sh_quote(s)
  return "'" .. s:gsub("'", [['\'']]) .. "'"
end

local function tmpdir()
  local ok, out = run("mktemp -d")
  assert(ok, out)
  return (out:gsub("%s+$", ""))
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function lines(s)
  local t = {}
  for l in (s .. "\n"):gmatch("(.-)\n") do t[#t + 1] = l end
  if t[#t] == "" then t[#t] = nil end
  return t
end

-- The first differing line of two outputs, for a readable failure.
local function same_lines(expected, actual)
  local a, b = lines(expected), lines(actual)
  for i = 1, math.max(#a, #b) do
    if a[i] ~= b[i] then
      assert.are.equal(("line %d: %s"):format(i, tostring(a[i])), ("line %d: %s"):format(i, tostring(b[i])))
    end
  end
end

local function sha256(text)
  local dir = tmpdir()
  write(dir .. "/x", text)
  local ok, out = run("sha256sum " .. dir .. "/x")
  run("rm -rf " .. dir)
  assert(ok, out)
  return out:match("^(%x+)")
end

local function make(targets)
  local ok, out = run("make -s -j2 " .. targets)
  assert(ok, out)
end

local CWD = (select(2, run("pwd")):gsub("%s+$", ""))

-- ---------------------------------------------------------------- C only

-- What examples/c/dataset_dump.c prints, computed through siqun.core.
local function show(v)
  if v == nil then return "null" end
  if compat.math_type(v) == "float" then return ("%.17g"):format(v) end
  return tostring(v)
end

local function canon_str(s) return ("s%d:%s;"):format(#s, s) end

local function canon(v)
  if v == nil then return "n;" end
  local t = compat.math_type(v)
  if t == "integer" then return ("i%d;"):format(v) end
  if t == "float" then return ("d%.17g;"):format(v) end
  if type(v) == "boolean" then return v and "b1;" or "b0;" end
  return canon_str(v)
end

local function canon_quantity(q)
  local p = { q.kind, " ", q.qualifier }
  if q.kind == "date" then
    local to = q.to or {}
    p[#p + 1] = (" y%d;m%d;d%d;-y%d;m%d;d%d;"):format(q.year or 0, q.month or 0, q.day or 0,
      to.year or 0, to.month or 0, to.day or 0)
  else
    p[#p + 1] = (" v%.17g;"):format(q.value)
    if q.min ~= nil then p[#p + 1] = ("min%.17g;"):format(q.min) end
    if q.max ~= nil then p[#p + 1] = ("max%.17g;"):format(q.max) end
    p[#p + 1] = "u" .. canon_str(q.unit or "")
  end
  p[#p + 1] = "\n"
  return table.concat(p)
end

local function expected_dump(ds, label)
  local out = {}
  local function put(s) out[#out + 1] = s end
  local names = ds:tables()
  local src = ds:source_info()
  put(("dataset %s tables %d"):format(label, #names))
  put(("source sha256 %s bytes %d codepoints %d"):format(src.sha256, src.bytes, src.codepoints))
  local qs, ntext, nparsed = {}, 0, 0
  for _, name in ipairs(names) do
    local t = ds:table(name)
    local fields = t:fields()
    local cells = {}
    for _, f in ipairs(fields) do
      cells[#cells + 1] = canon_str(f.name) .. canon_str(f.type) .. (f.derived and "b1;" or "b0;")
      put(("field %s.%s %s%s"):format(name, f.name, f.type, f.derived and " derived" or ""))
    end
    cells[#cells + 1] = "\n"
    for i = 1, #t do
      local rec = t[i]
      for _, f in ipairs(fields) do
        local v = rec[f.name]
        cells[#cells + 1] = canon(v)
        put(("cell %s[%d].%s = %s"):format(name, i, f.name, show(v)))
        if type(v) == "string" then
          ntext = ntext + 1
          local q = core.quantity(v)
          if q then
            nparsed = nparsed + 1
            qs[#qs + 1] = canon_str(v) .. canon_quantity(q)
          end
        end
      end
      cells[#cells + 1] = "\n"
    end
    put(("table %s rows %d fields %d cells %s"):format(name, #t, #fields, sha256(table.concat(cells))))
  end
  put(("quantities %d of %d results %s"):format(nparsed, ntext, sha256(table.concat(qs))))
  return table.concat(out, "\n") .. "\n"
end

describe("the C library without Lua (examples/c/dataset_dump.c)", function()
  lazy_setup(function() make("build/libsiqun.a build/examples/dataset_dump") end)

  it("libsiqun.a holds the core and the dataset, and the program links no Lua", function()
    local ok, members = run("ar t build/libsiqun.a")
    assert.is_true(ok, members)
    assert.matches("sq_load%.o", members)
    assert.matches("sq_embedded%.o", members)
    assert.matches("sq_qparse%.o", members)
    assert.not_matches("lsq_", members)
    local _, syms = run("nm build/examples/dataset_dump")
    assert.not_matches("lua_", syms)
    local _, libs = run("ldd build/examples/dataset_dump")
    assert.not_matches("liblua", libs)
  end)

  it("reads every table, field and cell of the embedded dataset as siqun.core does", function()
    local ok, out = run("build/examples/dataset_dump -v")
    assert.is_true(ok, out)
    same_lines(expected_dump(core.open(), "embedded"), out)
    -- and the row counts are the Lua layer's
    local siqun = require "siqun"
    local art = siqun.open()
    for _, name in ipairs(art:tables()) do
      assert.matches(("\ntable %s rows %d "):format(name, #art:table(name)), out, 1, true)
    end
  end)

  it("reads a dataset directory the same way", function()
    for _, dir in ipairs({ "data", "spec/fixtures/valid" }) do
      local ok, out = run("build/examples/dataset_dump -v " .. dir)
      assert.is_true(ok, out)
      same_lines(expected_dump(assert(core.open(dir)), dir), out)
    end
  end)

  it("fails with the loader's message on a bad directory, and 2 on bad usage", function()
    local ok, out, code = run("build/examples/dataset_dump spec/no-such-dir")
    assert.is_false(ok)
    assert.are.equal(1, code)
    assert.matches("^dataset_dump: .*no%-such%-dir", out)
    ok, out, code = run("build/examples/dataset_dump -x")
    assert.matches("^usage: ", out)
    assert.is_false(ok)
    assert.are.equal(2, code)
  end)
end)

-- ------------------------------------------------------ static embedding

-- The host runs a script file; its output, or the error.
local function host(script, ...)
  local dir = tmpdir()
  write(dir .. "/script.lua", script)
  local args = {}
  for i, a in ipairs({ ... }) do args[i] = sh_quote(a) end
  -- From another directory, with environment paths that would find the
  -- checkout if the host looked at them.
  local ok, out, code = run(("cd %s && LUA_PATH_5_4=%s LUA_CPATH_5_4=%s LUA_PATH=%s "
    .. "%s/build/examples/host script.lua %s"):format(dir, sh_quote(CWD .. "/lua/?.lua;;"),
      sh_quote(CWD .. "/build/?.so;;"), sh_quote(CWD .. "/lua/?.lua;;"), CWD, table.concat(args, " ")))
  run("rm -rf " .. dir)
  return ok == true, out, code
end

local function lua_modules()
  local _, out = run("cd lua && find siqun -name '*.lua' | LC_ALL=C sort")
  local names = {}
  for _, path in ipairs(lines(out)) do
    names[#names + 1] = path:gsub("%.lua$", ""):gsub("/init$", ""):gsub("/", ".")
  end
  return names
end

describe("the static host (make static, examples/host/host.c)", function()
  lazy_setup(function() make("static build/examples/host") end)

  it("libsiqun_lua.a holds luaopen_siqun_core, siqun_openlibs and the Lua layer", function()
    local ok, members = run("ar t build/libsiqun_lua.a")
    assert.is_true(ok, members)
    for _, m in ipairs({ "lsq_core.o", "siqun_lua.o", "sq_lua_embedded.o", "sq_embedded.o" }) do
      assert.matches(m, members, 1, true)
    end
    local _, syms = run("nm build/libsiqun_lua.a")
    assert.matches("T luaopen_siqun_core", syms)
    assert.matches("T siqun_openlibs", syms)
    local _, libs = run("ldd build/examples/host")
    assert.not_matches("liblua", libs)
    assert.not_matches("lpeg", libs)
  end)

  it("runs a script with package.path and package.cpath empty", function()
    local ok, out = host([[
      assert(package.path == "" and package.cpath == "", "paths not empty")
      local siqun = require "siqun"
      local art = siqun.open()
      local f = art.figures:get("linking_cadres")
      print(art.meta.title, #art.figures, f.text, f.value, f.unit, f.qualifier)
      print(siqun.quantity("35.5亿元").value, type(require("lpeg").P))
      print(#art:query("figures where value > 100万"))
      print(select(2, ...), arg[0])
      print(pcall(require, "lfs"))   -- Debian has lfs.so: the host must not find it
    ]], "one", "two")
    assert.is_true(ok, out)
    local l = lines(out)
    local nfig = #require("siqun.core").open():table("figures")
    assert.are.equal("情的交融 心的呼应\t" .. nfig .. "\t近50万名\t500000\t名\tnearly", l[1])
    assert.are.equal("3550000000\tfunction", l[2])
    assert.matches("^%d+$", l[3])
    assert.are.equal("two\tscript.lua", l[4])
    assert.matches("^false\tmodule 'lfs' not found", l[5])
  end)

  it("preloads siqun.core and every module under lua/siqun, found at build time", function()
    local ok, out = host([[
      local names = {}
      for k in pairs(package.preload) do names[#names + 1] = k end
      table.sort(names)
      print(table.concat(names, "\n"))
    ]])
    assert.is_true(ok, out)
    local expected = lua_modules()
    expected[#expected + 1] = "lpeg"
    expected[#expected + 1] = "siqun.core"
    table.sort(expected)
    same_lines(table.concat(expected, "\n"), out)
  end)

  it("requires each module of siqun.query from the embedded layer", function()
    local ok, out = host([[
      local names = {}
      for k in pairs(package.preload) do
        if k:match("^siqun%.query%.") then names[#names + 1] = k end
      end
      table.sort(names)
      for _, name in ipairs(names) do assert(type(require(name)) == "table", name) end
      print(#names, require("siqun.query.lexer").lex_one("x = 1", 3).v)
    ]])
    assert.is_true(ok, out)
    local n = 0
    for _, name in ipairs(lua_modules()) do
      if name:match("^siqun%.query%.") then n = n + 1 end
    end
    assert.is_true(n >= 10)
    assert.are.equal(n .. "\t=", lines(out)[1])
  end)

  it("reports errors with the embedded modules' file names and a traceback", function()
    local ok, out, code = host([[require("siqun").open(42)]])
    assert.is_false(ok)
    assert.are.equal(1, code)
    assert.matches("script.lua:1: bad argument #1 to 'open'", out, 1, true)
    assert.matches("stack traceback:", out, 1, true)
    assert.matches("siqun/facade.lua:%d+: in function 'siqun.open'", out)
    ok, out, code = host([[error("boom")]])
    assert.is_false(ok)
    assert.are.equal(1, code)
    assert.matches("script.lua:1: boom", out, 1, true)
  end)

  it("gives the same results as lua5.4 with siqun/core.so and lua/ on the paths", function()
    make("all")
    local dyn_ok, dyn = run("LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='build/?.so;;' "
      .. "lua5.4 -e 'io.write(dofile(\"examples/host/work.lua\"))'")
    assert.is_true(dyn_ok, dyn)
    local ok, out = host(("io.write(dofile(%q))"):format(CWD .. "/examples/host/work.lua"))
    assert.is_true(ok, out)
    assert.is_true(#out > 10000)
    assert.matches("\nquery\t%d+\n", out)
    assert.matches("\nreport\t", out)
    same_lines(dyn, out)
  end)

  it("finds the built-in reports through package.preload", function()
    local ok, out = host([[
      local siqun = require "siqun"
      local doc, err = require("siqun.report").run("figures", siqun.open(), "text")
      io.write(doc or ("nil, " .. tostring(err)))
    ]])
    assert.is_true(ok, out)
    if out:match("^nil, no report named") then
      pending("siqun.report looks reports up in package.loaded and on package.path, "
        .. "not in package.preload: " .. out)
      return
    end
    assert.matches("^Figures", out)
  end)
end)

describe("the generator of the embedded Lua layer (csrc/tools/sq_embed_lua.c)", function()
  lazy_setup(function() make("build/sq_embed_lua") end)

  local function gen(files)
    local dir = tmpdir()
    local paths = {}
    for path, text in pairs(files) do
      run("mkdir -p " .. sh_quote((dir .. "/" .. path):match("^(.*)/")))
      write(dir .. "/" .. path, text)
      paths[#paths + 1] = sh_quote(dir .. "/" .. path)
    end
    table.sort(paths)
    local ok, out = run(CWD .. "/build/sq_embed_lua " .. dir .. " " .. table.concat(paths, " "))
    run("rm -rf " .. dir)
    return ok, out
  end

  it("names modules as package.path would find them", function()
    local ok, out = gen({ ["m/init.lua"] = "return 1", ["m/a.lua"] = "return 2",
                          ["m/sub/init.lua"] = "", ["m/sub/b_c.lua"] = "" })
    assert.is_true(ok, out)
    assert.matches('{ "m", "\\100" "m/init.lua", (const char *)m', out, 1, true)
    assert.matches('{ "m.a", ', out, 1, true)
    assert.matches('{ "m.sub", ', out, 1, true)
    assert.matches('{ "m.sub.b_c", ', out, 1, true)
    assert.matches("sq_lua_nmodules = 4;", out, 1, true)
  end)

  it("refuses a file that is not a module and two files with one name", function()
    local ok, out = gen({ ["m/a.lua"] = "", ["m/a/init.lua"] = "" })
    assert.is_false(ok)
    assert.matches("are both module m.a", out, 1, true)
    ok, out = gen({ ["m/a.b.lua"] = "" })
    assert.is_false(ok)
    assert.matches("not a module name", out, 1, true)
    ok, out = gen({ ["m/a.txt"] = "" })
    assert.is_false(ok)
    assert.matches("not a .lua file", out, 1, true)
  end)
end)

-- ------------------------------------------------------ threads, TSan

describe("16 lua_States on 16 threads under ThreadSanitizer (make tsan)", function()
  lazy_setup(function() make("build/tsan/threads build/examples/host") end)

  -- gcc 12's TSan cannot map its shadow under some kernels' full address
  -- randomisation: then run it with randomisation off.
  local function tsan(args)
    local cmd = "TSAN_OPTIONS='halt_on_error=1 exitcode=66' %sbuild/tsan/threads examples/host/work.lua"
      .. args
    local ok, out, code = run(cmd:format(""))
    if not ok and out:match("unexpected memory mapping") then
      ok, out, code = run(cmd:format("setarch $(uname -m) -R "))
    end
    return ok, out, code
  end

  it("runs clean, and every thread computes the same digest as a single state", function()
    local ok, out = tsan("")
    assert.is_true(ok, out)
    assert.not_matches("ThreadSanitizer", out)
    local digest = out:match("^16 threads, 16 lua_States: identical digest (%x+) %(%d+ bytes%)\n$")
    assert.is_truthy(digest, out)
    local hok, single = host(("io.write(dofile(%q))"):format(CWD .. "/examples/host/work.lua"))
    assert.is_true(hok, single)
    assert.are.equal(sha256(single), digest)
  end)

  it("fails when there is a race (--race adds one on purpose)", function()
    local ok, out, code = tsan(" --race")
    assert.is_false(ok)
    assert.are.equal(66, code)
    assert.matches("WARNING: ThreadSanitizer: data race", out, 1, true)
  end)
end)

-- ------------------------------------------------------- C install

describe("make install: the C library, headers and siqun.pc", function()
  it("stages them under DESTDIR and a C program builds with pkg-config", function()
    if not run("command -v pkg-config >/dev/null") then
      pending("pkg-config not installed (make deps): skipped")
      return
    end
    local dest = tmpdir()
    local ok, out = run("make -s install DESTDIR=" .. dest .. " PREFIX=/opt/siqun")
    assert.is_true(ok, out)
    local root = dest .. "/opt/siqun"
    for _, f in ipairs({ "lib/libsiqun.a", "lib/libsiqun_lua.a", "include/siqun.h",
                         "include/siqun_lua.h", "lib/pkgconfig/siqun.pc" }) do
      assert.is_truthy(io.open(root .. "/" .. f), f)
    end
    local pc = assert(io.open(root .. "/lib/pkgconfig/siqun.pc")):read("*a")
    assert.matches("\nprefix=/opt/siqun\n", pc, 1, true)
    assert.not_matches(dest, pc, 1, true)

    -- The staged tree as a sysroot, as cross and package builds use it.
    local env = ("PKG_CONFIG_PATH=%s/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=%s "):format(root, dest)
    local vok, version = run(env .. "pkg-config --modversion siqun")
    assert.is_true(vok, version)
    assert.are.equal(core._VERSION:match("%S+$"), (version:gsub("%s+$", "")))
    local fok, flags = run(env .. "pkg-config --cflags --libs siqun")
    assert.is_true(fok, flags)
    assert.matches("-I" .. root .. "/include", flags, 1, true)
    assert.matches("-L" .. root .. "/lib", flags, 1, true)

    write(dest .. "/tiny.c", [[
#include <stdio.h>
#include <siqun.h>
int main(void) {
  siqun_dataset *ds;
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  if (siqun_open_embedded(NULL, NULL, &ds, err, sizeof err) != 0) { puts(err); return 1; }
  if (siqun_quantity_parse("420余万元", sizeof "420余万元" - 1, &q, err, sizeof err) != 0) {
    puts(err); return 1;
  }
  printf("%s %zu %.0f %s %s\n", SIQUN_VERSION, siqun_nrows(siqun_table_find(ds, "figures")),
         q.value, q.unit, siqun_qualifier_name(q.qualifier));
  siqun_close(ds);
  return 0;
}
]])
    local cok, cout = run(("cd %s && cc -std=c99 -Wall -Wextra -pedantic -Werror tiny.c "
      .. "$(%spkg-config --cflags --libs siqun) -o tiny && ./tiny"):format(dest, env))
    assert.is_true(cok, cout)
    local nfig = #core.open():table("figures")
    assert.are.equal(("%s %d 4200000 元 over\n"):format(core._VERSION:match("%S+$"), nfig), cout)

    -- The example itself, against the installed library.
    local eok, eout = run(("cc -std=c99 %s/examples/c/dataset_dump.c "
      .. "$(%spkg-config --cflags --libs siqun) -o %s/dump && %s/dump"):format(CWD, env, dest, dest))
    assert.is_true(eok, eout)
    assert.matches("\ntable figures rows " .. nfig .. " ", eout, 1, true)

    ok, out = run("make -s uninstall DESTDIR=" .. dest .. " PREFIX=/opt/siqun")
    assert.is_true(ok, out)
    assert.is_nil(io.open(root .. "/lib/libsiqun.a"))
    assert.is_nil(io.open(root .. "/include/siqun.h"))
    run("rm -rf " .. dest)
  end)
end)
