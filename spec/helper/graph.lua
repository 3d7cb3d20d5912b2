-- The one cycle finder of the layer specs (spec/layers_spec.lua: require
-- loops; spec/c_layers_spec.lua: C files and headers).
--
--   local graph = require "spec.helper.graph"
--   graph.find_cycle({ a = { "b" }, b = { "a" } }, { "a", "b" })  --> { "a", "b", "a" }

local M = {}

--- The first cycle of g (node -> list of nodes), visiting the nodes in
-- the order of names: a list of nodes whose first and last are the same,
-- or nil.
function M.find_cycle(g, names)
  local state, stack = {}, {}
  local function visit(n)
    state[n] = "open"
    stack[#stack + 1] = n
    for _, m in ipairs(g[n] or {}) do
      if state[m] == "open" then
        local cycle = {}
        for i = #stack, 1, -1 do
          table.insert(cycle, 1, stack[i])
          if stack[i] == m then break end
        end
        cycle[#cycle + 1] = m
        return cycle
      elseif state[m] == nil then
        local c = visit(m)
        if c then return c end
      end
    end
    stack[#stack] = nil
    state[n] = "done"
    return nil
  end
  for _, n in ipairs(names) do
    if state[n] == nil then
      local c = visit(n)
      if c then return c end
    end
  end
  return nil
end

return M
