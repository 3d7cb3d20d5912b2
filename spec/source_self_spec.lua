-- The Article methods of siqun.source (attach, attach_text, attached,
-- source_info, slice) refuse a self that only shows an Article's
-- metatable name: "bad self", never an error from inside siqun.

local siqun = require "siqun"

describe("siqun.source's methods", function()
  local art = assert(siqun.open())
  local fake = setmetatable({}, { __metatable = "siqun.Article" })
  local CALLS = {
    attach = { "x.txt" }, attach_text = { "text" }, attached = {}, source_info = {},
    slice = { 1, 2 },
  }
  for _, name in ipairs { "attach", "attach_text", "attached", "source_info", "slice" } do
    it(name .. " refuses a table that shows the Article's metatable name", function()
      local args = CALLS[name]
      local ok, err = pcall(art[name], fake, args[1], args[2])
      assert.is_false(ok)
      assert.matches("bad self to '" .. name .. "' (siqun.Article expected, got table)", err, 1, true)
    end)
  end

  it("still take an Article", function()
    assert.is_false(art:attached())
    assert.equal("number", type(art:source_info().bytes))
  end)
end)
