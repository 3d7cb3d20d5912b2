-- The examples' CSV reader (examples/roster.csv, examples/logbook.csv):
-- a file without quoted fields as an array of records keyed by its header
-- line, an empty cell left out (nil).
--
--   local read_csv = dofile("examples/lib/read_csv.lua")
--   for _, r in ipairs(read_csv("examples/roster.csv")) do print(r.name, r.rank) end

return function(path)
  local rows, header = {}, nil
  for line in io.lines(path) do
    local cells = {}
    for cell in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = cell end
    if not header then
      header = cells
    else
      local r = {}
      for i, h in ipairs(header) do r[h] = cells[i] ~= "" and cells[i] or nil end
      rows[#rows + 1] = r
    end
  end
  return rows
end
