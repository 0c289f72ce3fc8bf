namespace Deskbridge.HubSpotSandbox.Simulation;

/// <summary>/_sandbox/simulate/...: changes made by customers and human agents; each produces HubSpot's webhook events.</summary>
public static class SimulationApi
{
    public static RouteGroupBuilder MapSimulationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix + "/simulate");
        api.MapPost("/customer-message", (CustomerMessageRequest request, SimulationService simulation) => Answer(simulation.CustomerWrites(request)));
        api.MapPost("/agent-message", (AgentMessageRequest request, SimulationService simulation) => Answer(simulation.AgentWrites(request)));
        api.MapPost("/bot-message", (BotMessageRequest request, SimulationService simulation) => Answer(simulation.BotWrites(request)));
        api.MapPost("/assign", (AssignRequest request, SimulationService simulation) => Answer(simulation.Reassign(request)));
        api.MapPost("/thread-status", (ThreadStatusRequest request, SimulationService simulation) => Answer(simulation.SetThreadStatus(request)));
        api.MapPost("/ticket-property", (TicketPropertyRequest request, SimulationService simulation) => Answer(simulation.EditTicket(request)));
        return api;
    }

    private static IResult Answer<T>(SimulationResult<T> result) => result.Error ?? TypedResults.Ok(result.Value);
}
