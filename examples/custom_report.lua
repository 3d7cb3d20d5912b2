-- Writing a report of one's own: register it, then run it in any format.
-- This one lists the figures the article gives only as a bound (…多, …余,
-- 近, 约), with the range each allows.
--
--   lua5.4 examples/custom_report.lua

local siqun = require "siqun"
local report = require "siqun.report"

report.register("bounds", function(art, opts)
  local rows = {}
  for _, f in ipairs(art.figures) do
    if f.qualifier ~= (opts.except or "exact") then
      rows[#rows + 1] = { id = f.id, text = f.text, qualifier = f.qualifier,
                          from = f.min, to = f.max }
    end
  end
  return { title = "Figures given as bounds", blocks = {
    { kind = "table", name = "bounds", columns = {
        { name = "id" }, { name = "text" }, { name = "qualifier" },
        { name = "from", type = "number" }, { name = "to", type = "number" } },
      rows = rows } } }
end, "Figures the article gives only as a bound")

for _, r in ipairs(report.list()) do
  if r.name == "bounds" then print(r.name .. ": " .. r.description) end
end
print()

local art = assert(siqun.open())
io.write(report.run("bounds", art, "text"))
print()
io.write(report.run("bounds", art, "csv"))
print()
io.write(report.run("bounds", art, "json", { indent = 0 }))
