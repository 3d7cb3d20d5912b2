-- A query error's caret stands under the place, counted in the columns a
-- terminal gives the text before it: the one width table (siqun.text),
-- so wide emoji count two and combining marks none.  siqun.query.message
-- had a table of its own that gave an emoji one column and a combining
-- mark one, which put the caret short after "⌚⌚é".  Code points are
-- written as bytes (Lua 5.1 has no \u{...}).

local siqun = require "siqun"
local text = require "siqun.text"

local WATCH = "\226\140\154"        -- U+231A WATCH, East Asian Wide
local E_ACUTE = "\195\169"          -- U+00E9, one column
local COMBINING_ACUTE = "\204\129"  -- U+0301, no column of its own
local HAN = "\229\155\155"          -- U+56DB, two columns
local GRINNING = "\240\159\152\128" -- U+1F600, two columns

-- The query line and the caret line of the error of a bad query.
local function caret_of(q)
  local r, err = siqun.safe.compile(q)
  assert.is_nil(r, "query should have failed: " .. q)
  local line, caret = err:match("\n([^\n]*)\n([^\n]*)$")
  assert.is_string(caret, err)
  return line, caret
end

-- The caret of "figures where x = '<s>' andd" must stand under "andd".
local function check(s, columns_before)
  local q = "figures where x = '" .. s .. "' andd"
  local line, caret = caret_of(q)
  assert.equal(q, line)
  assert.equal((" "):rep(columns_before) .. "^", caret)
end

describe("a query error's caret", function()
  it("counts a wide emoji as two columns and a precomposed letter as one", function()
    -- 19 columns of "figures where x = '", 2 + 2 + 1, then "' "
    check(WATCH .. WATCH .. E_ACUTE, 19 + 5 + 2)
  end)

  it("counts a combining mark as no column", function()
    check(WATCH .. WATCH .. "e" .. COMBINING_ACUTE, 19 + 5 + 2)
  end)

  it("counts CJK and emoji outside the BMP as two columns", function()
    check(HAN .. GRINNING .. "a", 19 + 5 + 2)
  end)

  it("stands where siqun.text.width says the text before it ends", function()
    for _, s in ipairs({ "", "abc", WATCH, E_ACUTE .. COMBINING_ACUTE, HAN .. HAN }) do
      local before = "figures where x = '" .. s .. "' "
      check(s, text.width(before))
    end
  end)
end)
