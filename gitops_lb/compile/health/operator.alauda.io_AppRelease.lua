-- Argo CD health of an Alauda ACP AppRelease (ars), written by gitops-lb (Lua 5.1).
-- Its conditions are Validate (chart fetched and checked), Sync (chart installed) and Health
-- (installed resources ready and running). Health=True is healthy; Validate=False means the
-- chart itself was refused, which waiting does not fix; anything else is still on its way.
local hs = {}
local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type ~= nil then
      conditions[c.type] = c
    end
  end
end

local function describe(c)
  local text = c.type .. "=" .. tostring(c.status)
  if c.reason ~= nil and c.reason ~= "" then
    text = text .. " (" .. c.reason .. ")"
  end
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

local health = conditions["Health"]
local validate = conditions["Validate"]
if validate ~= nil and validate.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(validate)
elseif health == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the AppRelease's Health condition"
elseif health.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(health)
else
  hs.status = "Progressing"
  hs.message = describe(health)
end
return hs
