-- Installing: `make install` into a staged prefix and `luarocks make` into a
-- private tree both give a module that a plain lua5.4 can require.

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

describe("installation", function()
  it("make install DESTDIR=... PREFIX=... stages a loadable module and the CLI", function()
    local dest = tmpdir()
    local ok, out = run("make -s install DESTDIR=" .. dest .. " PREFIX=/opt/siqun")
    assert.is_true(ok, out)
    local root = dest .. "/opt/siqun"
    local lok, lout = load_from(root .. "/share/lua/5.4", root .. "/lib/lua/5.4")
    assert.is_true(lok, lout)
    assert.matches("^情的交融 心的呼应|%d+|" .. root:gsub("%p", "%%%0") .. "/lib/lua/5%.4/siqun/core%.so$", lout)
    local f = io.open(root .. "/bin/siqun")
    assert.is_truthy(f)
    f:close()
    run("rm -rf " .. dest)
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
    run("rm -rf " .. tree)
  end)
end)
