-- siqun.check: the one wording of a misused argument, lauxlib's, raised at
-- the level error() would take in the function that checks (by default
-- that function's caller), on every Lua.

local check = require "siqun.check"

-- A function f(x) that checks x with fn and returns; called from this file.
local function checked(fn)
  return function(x) fn(x) return x end
end

local function err_of(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  return err
end

-- The line of this file an error points to, or nil.
local function line_of(err)
  return tonumber(tostring(err):match("check_spec%.lua:(%d+):"))
end

describe("siqun.check", function()
  it("words a type error as lauxlib does", function()
    local f = checked(function(x) check.type(2, "open", "string", x, 3) end)
    local err = err_of(f, 1)
    assert.matches("bad argument #2 to 'open' %(string expected, got number%)$", err)
  end)

  it("words any other misuse with its own message", function()
    local err = err_of(function() check.arg(1, "at", "integer expected, got float", 1) end)
    assert.matches("bad argument #1 to 'at' %(integer expected, got float%)$", err)
  end)

  it("lets nil and the right type through optional", function()
    local f = checked(function(x) check.optional(x, "table", 3, "render") end)
    assert.is_nil(f(nil))
    assert.same({}, f({}))
    assert.matches("bad argument #3 to 'render' %(table expected, got string%)$", err_of(f, "x"))
  end)

  it("lets only the right type through required", function()
    local f = checked(function(x) check.required(x, "string", 1, "get", 3) end)
    assert.equal("a", f("a"))
    assert.matches("bad argument #1 to 'get' %(string expected, got nil%)$", err_of(f, nil))
  end)

  it("raises at the caller of the checking function by default", function()
    local function api(x)
      if type(x) ~= "string" then check.type(1, "api", "string", x) end
      return x
    end
    local ok, err = pcall(function()
      api(1) -- the line the error must name
    end)
    assert.is_false(ok)
    local want = debug.getinfo(1, "l").currentline - 3
    assert.equal(want, line_of(err))
  end)

  it("counts a level as error() does in the checking function", function()
    local function inner(x) check.optional(x, "table", 2, "outer", 3) end
    local function outer(x) inner(x) end
    local ok, err = pcall(function()
      outer(1) -- the caller of outer
    end)
    assert.is_false(ok)
    local want = debug.getinfo(1, "l").currentline - 3
    assert.equal(want, line_of(err))
  end)
end)
