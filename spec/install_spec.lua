-- Installing: `make install` into a staged prefix and `luarocks make` into a
-- private tree both give a module that a plain lua5.4 can require, and a
-- `siqun` command that runs as it is: the compiled launcher (no luarocks
-- wrapper), in a clean environment, from any directory, through a link.

local V = require "spec.lua_version"

local function run(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  local ok, _, code = p:close()
  return ok, out, code
end

local function tmpdir()
  local ok, out = run("mktemp -d")
  assert(ok, out)
  return (out:gsub("%s+$", ""))
end

-- Requires siqun from the given Lua and C roots only (no checkout paths).
local function load_from(luadir, libdir)
  local script = [[local s = require "siqun"; local a = s.open();]]
    .. [[ io.write(a.meta.title, "|", #a.figures, "|", package.searchpath("siqun.core", package.cpath))]]
  return run(("cd / && LUA_PATH_5_4='%s/?.lua;%s/?/init.lua;;' LUA_CPATH_5_4='%s/?.so;;' lua5.4 -e '%s'")
    :format(luadir, luadir, libdir, script))
end

local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- What the checkout's bin/siqun prints for args (the reference).
local function expected(args)
  local ok, out = run(V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;") .. " "
    .. V.lua .. " bin/siqun " .. args)
  assert(ok, out)
  return out
end

local QUERY = "query 'figures where value >= 1000000 select id, value' --format csv"

-- The installed command bin: a program (ELF), not a script or a
-- luarocks wrapper; `summary` and a query run with nothing but PATH set,
-- from / and from another directory through a symbolic link.
local function check_command(bin)
  local f = assert(io.open(bin, "rb"))
  local head = f:read(4)
  f:close()
  assert.equal("\127ELF", head)
  local clean = "env -i PATH=/usr/bin:/bin "
  local ok, out = run("cd / && " .. clean .. quote(bin) .. " summary")
  assert.is_true(ok, out)
  assert.equal(expected("summary"), out)
  ok, out = run("cd / && " .. clean .. quote(bin) .. " " .. QUERY)
  assert.is_true(ok, out)
  assert.equal(expected(QUERY), out)
  local links = tmpdir()
  assert(run(("ln -s %s %s/siqun"):format(quote(bin), quote(links))))
  ok, out = run(("cd %s && %s./siqun %s"):format(quote(links), clean, QUERY))
  assert.is_true(ok, out)
  assert.equal(expected(QUERY), out)
  run("rm -rf " .. quote(links))
end

describe("installation", function()
  it("make install DESTDIR=... PREFIX=... stages a loadable module and the CLI", function()
    local dest = tmpdir()
    local ok, out = run("make -s install DESTDIR=" .. dest .. " PREFIX=/opt/siqun")
    assert.is_true(ok, out)
    local root = dest .. "/opt/siqun"
    local lok, lout = load_from(root .. "/share/lua/5.4", root .. "/lib/lua/5.4")
    assert.is_true(lok, lout)
    assert.matches("^情的交融 心的呼应|%d+|" .. root:gsub("%p", "%%%0") .. "/lib/lua/5%.4/siqun/core%.so$", lout)
    check_command(root .. "/bin/siqun")
    run("rm -rf " .. dest)
  end)

  it("make install over an older install removes its siqun/query.lua and cli.lua (folders now)",
     function()
    local prefix = tmpdir()
    local dir = prefix .. "/share/lua/5.4/siqun"
    assert(run("mkdir -p " .. quote(dir)))
    for _, m in ipairs { "query", "cli" } do
      local f = assert(io.open(dir .. "/" .. m .. ".lua", "w"))
      f:write("error('the old siqun." .. m .. "')\n")
      f:close()
    end
    local ok, out = run("make -s install SIQUN_INSTALL_C=no PREFIX=" .. prefix)
    assert.is_true(ok, out)
    for _, m in ipairs { "query", "cli" } do
      assert.is_nil(io.open(dir .. "/" .. m .. ".lua"))
      assert.truthy(io.open(dir .. "/" .. m .. "/init.lua"))
    end
    local script = [[print(#require("siqun.query").run(require("siqun").open(), "figures"), ]]
      .. [[type(require("siqun.cli").main))]]
    ok, out = run(("cd / && SIQUN_LUA_SOURCES=1 LUA_PATH_5_4='%s/?.lua;%s/?/init.lua;;' "
      .. "LUA_CPATH_5_4='%s/?.so;;' lua5.4 -e '%s'")
      :format(prefix .. "/share/lua/5.4", prefix .. "/share/lua/5.4", prefix .. "/lib/lua/5.4", script))
    assert.is_true(ok, out)
    assert.matches("^%d+\tfunction\n$", out)
    run("rm -rf " .. prefix)
  end)

  it("make install PREFIX=... installs a siqun command that runs as it is", function()
    local prefix = tmpdir()
    local ok, out = run("make -s install SIQUN_INSTALL_C=no PREFIX=" .. prefix)
    assert.is_true(ok, out)
    check_command(prefix .. "/bin/siqun")
    run("rm -rf " .. prefix)
  end)

  it("luarocks --lua-version=5.4 make --deps-mode=none --tree=DIR installs it", function()
    if not run("command -v luarocks >/dev/null") then
      pending("luarocks not installed: skipped")
      return
    end
    local tree = tmpdir()
    local ok, out = run("luarocks --lua-version=5.4 make --deps-mode=none --tree=" .. tree
      .. " siqun-0.1.0-1.rockspec")
    assert.is_true(ok, out)
    assert.matches("is now installed", out)
    local lok, lout = load_from(tree .. "/share/lua/5.4", tree .. "/lib/lua/5.4")
    assert.is_true(lok, lout)
    assert.matches("^情的交融 心的呼应|%d+|" .. tree:gsub("%p", "%%%0") .. "/lib/lua/5%.4/siqun/core%.so$", lout)
    check_command(tree .. "/bin/siqun")
    run("rm -rf " .. tree)
  end)
end)
