namespace Deskbridge.BusinessHours;

/// <summary>
/// G6: when an organization's team answers. Absent (no row): always open, so "outside business hours" never matches and
/// the customer is told a colleague replies shortly.
/// </summary>
public sealed class BusinessHoursSettings
{
    public Guid OrganizationId { get; set; }

    /// <summary>IANA time zone id (Europe/Berlin); the weekly hours and holidays are local to it.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>"monday 09:00-17:00;tuesday 09:00-17:00": one range per open day; days not listed are closed. 24:00 closes at midnight.</summary>
    public string Weekly { get; set; } = "";

    /// <summary>Comma-separated local dates (yyyy-MM-dd) the team is closed all day.</summary>
    public string Holidays { get; set; } = "";
}
