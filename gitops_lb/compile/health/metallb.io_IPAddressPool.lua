-- Argo CD health of a MetalLB IPAddressPool, written by gitops-lb (Lua 5.1).
-- MetalLB's controller (v0.15.0 and later) writes status.assignedIPv4/IPv6 (addresses in use)
-- and status.availableIPv4/IPv6 (capacity minus assigned), all four at once. The status does
-- not count Services waiting for an address: a family with no free address left is reported
-- Degraded, as the next Service that asks the pool for one of its addresses waits.
local hs = {}
local st = obj.status
if st == nil or st.assignedIPv4 == nil or st.assignedIPv6 == nil
    or st.availableIPv4 == nil or st.availableIPv6 == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for MetalLB to report the pool's addresses (status.assigned*, status.available*)"
  return hs
end

local function count(n)
  if n >= 1e15 then
    return "more than 10^15"
  end
  return string.format("%d", n)
end

local parts = {}
local exhausted = {}
local served = 0
for _, family in ipairs({"IPv4", "IPv6"}) do
  local assigned = st["assigned" .. family]
  local available = st["available" .. family]
  if assigned + available > 0 then
    served = served + 1
    table.insert(parts, family .. ": " .. count(available) .. " free, " .. count(assigned) .. " assigned")
    if available == 0 then
      table.insert(exhausted, family)
    end
  end
end

if served == 0 then
  hs.status = "Degraded"
  hs.message = "The pool has no usable address: every Service that asks it for one waits"
elseif #exhausted > 0 then
  hs.status = "Degraded"
  hs.message = "Exhausted (" .. table.concat(exhausted, ", ") .. "): no free address left, "
    .. "a Service that asks this pool for one waits; " .. table.concat(parts, "; ")
else
  hs.status = "Healthy"
  hs.message = table.concat(parts, "; ")
end
return hs
