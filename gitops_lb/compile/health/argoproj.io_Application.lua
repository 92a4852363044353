-- Argo CD health of a child Application, written by gitops-lb (Lua 5.1). Argo CD stopped
-- assessing Applications in 1.8; with this check an app-of-apps parent waits, wave by wave,
-- until the MetalLB Application (wave 0) is healthy before it starts the cluster's (wave 1).
local hs = {}
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  hs.message = obj.status.health.message or ""
else
  hs.status = "Progressing"
  hs.message = "Waiting for the Application's health"
end
return hs
