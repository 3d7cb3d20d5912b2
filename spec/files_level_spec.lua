-- siqun.files' argument errors name the caller's line (the user's code),
-- never a line of siqun.files itself.

local files = require "siqun.files"

local function message(f)
  local ok, err = pcall(f)
  assert.is_false(ok)
  return err
end

describe("siqun.files misuse", function()
  local here = "^spec[/\\]files_level_spec%.lua:%d+: "
  it("is reported at the caller's line", function()
    assert.matches(here .. "bad argument #1 to 'kind' %(string expected, got number%)",
                   message(function() files.kind(42) end))
    assert.matches(here .. "bad argument #1 to 'kind' %(path expected, got an empty string%)",
                   message(function() files.kind("") end))
    assert.matches(here .. "bad argument #2 to 'check' %(table expected, got number%)",
                   message(function() files.check("x", 5) end))
    assert.matches(here .. "bad argument #1 to 'save' %(path expected, got a string with a NUL byte%)",
                   message(function() files.save("a\0b", "data") end))
    assert.matches(here .. "bad argument #3 to 'save' %(table expected, got string%)",
                   message(function() files.save("x", "data", "force") end))
  end)
end)
