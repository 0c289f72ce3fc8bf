using Deskbridge.Accounts;
using Deskbridge.Handoff;
using Deskbridge.HubSpotApp;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Sessions;
using Deskbridge.Signatures;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Storage;

/// <summary>
/// The service's data; people and their passwords through ASP.NET Core Identity's tables (S1). One model for every
/// provider; each provider has its own subclass only so that its migrations have a context of their own
/// (<see cref="SqliteDeskbridgeDb"/>, <see cref="PostgresDeskbridgeDb"/>). Services ask for this type.
/// </summary>
public abstract class DeskbridgeDb(DbContextOptions options) : IdentityDbContext<DeskbridgeUser>(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<HubSpotConnection> Connections => Set<HubSpotConnection>();
    public DbSet<InboxEvent> InboxEvents => Set<InboxEvent>();
    public DbSet<DedupKey> DedupKeys => Set<DedupKey>();
    public DbSet<InboxLease> InboxLeases => Set<InboxLease>();
    public DbSet<HubSpot.PortalRateWindow> PortalRateWindows => Set<HubSpot.PortalRateWindow>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<SessionMessage> SessionMessages => Set<SessionMessage>();
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<EmailSignature> EmailSignatures => Set<EmailSignature>();
    public DbSet<WorkflowActions.WorkflowExecution> WorkflowExecutions => Set<WorkflowActions.WorkflowExecution>();
    public DbSet<Policies.SendPolicyRule> SendPolicyRules => Set<Policies.SendPolicyRule>();
    public DbSet<Policies.AnswerDraft> AnswerDrafts => Set<Policies.AnswerDraft>();
    public DbSet<Outcomes.OutcomeRecord> OutcomeRecords => Set<Outcomes.OutcomeRecord>();
    public DbSet<BusinessHours.BusinessHoursSettings> BusinessHours => Set<BusinessHours.BusinessHoursSettings>();
    public DbSet<BusinessHours.HandoffMessageSettings> HandoffMessages => Set<BusinessHours.HandoffMessageSettings>();
    public DbSet<Knowledge.KnowledgeArticleRecord> KnowledgeArticles => Set<Knowledge.KnowledgeArticleRecord>();
    public DbSet<Knowledge.KnowledgeRevision> KnowledgeRevisions => Set<Knowledge.KnowledgeRevision>();
    public DbSet<Agents.PassageEmbedding> PassageEmbeddings => Set<Agents.PassageEmbedding>();
    public DbSet<Playground.PlaygroundCase> PlaygroundCases => Set<Playground.PlaygroundCase>();
    public DbSet<Knowledge.Gaps.KnowledgeGapQuestion> KnowledgeGapQuestions => Set<Knowledge.Gaps.KnowledgeGapQuestion>();
    public DbSet<Conversations.ConversationControl> ConversationControls => Set<Conversations.ConversationControl>();

    public DbSet<HubSpotApp.HubSpotAppGrant> HubSpotAppGrants => Set<HubSpotApp.HubSpotAppGrant>();
    public DbSet<HubSpotApp.HubSpotAppInstallState> HubSpotAppInstallStates => Set<HubSpotApp.HubSpotAppInstallState>();
    public DbSet<HubSpotApp.UnroutedAppEvent> UnroutedAppEvents => Set<HubSpotApp.UnroutedAppEvent>();

    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Data Protection's key ring, shared by every instance (cookies, antiforgery, stored tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

#pragma warning disable CA1725 // IdentityDbContext names it "builder"; the model code below predates it.
    protected override void OnModelCreating(ModelBuilder modelBuilder)
#pragma warning restore CA1725
    {
        base.OnModelCreating(modelBuilder);
        Knowledge.KnowledgeModel.Configure(modelBuilder);
        modelBuilder.ApplyConfiguration(new Agents.PassageEmbeddingConfiguration());
        modelBuilder.ApplyConfiguration(new Playground.PlaygroundCaseConfiguration());
        modelBuilder.ApplyConfiguration(new Knowledge.Gaps.KnowledgeGapQuestionConfiguration());
        modelBuilder.ApplyHubSpotAppModel();
        modelBuilder.Entity<Membership>(e =>
        {
            e.HasKey(m => new { m.OrganizationId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<DeskbridgeUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ApiKey>(e =>
        {
            e.HasIndex(k => k.Hash).IsUnique();
            e.HasIndex(k => k.OrganizationId);
            e.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.Prefix).HasMaxLength(20);
            e.Property(k => k.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<Organization>(e =>
        {
            e.HasIndex(o => o.Slug).IsUnique();
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Slug).HasMaxLength(100);
            e.Property(o => o.AutopilotChannels).HasMaxLength(500);
        });
        modelBuilder.Entity<HubSpotConnection>(e =>
        {
            e.HasKey(c => c.OrganizationId);
            e.HasOne<Organization>().WithOne().HasForeignKey<HubSpotConnection>(c => c.OrganizationId);
        });
        modelBuilder.Entity<InboxEvent>(e =>
        {
            e.HasIndex(i => new { i.Status, i.Id });
            e.HasIndex(i => new { i.OrganizationId, i.EventId });
            e.HasIndex(i => new { i.OrganizationId, i.ThreadId });
            e.HasIndex(i => i.SessionId);
            e.Property(i => i.OrderingKey).HasMaxLength(100);
            e.Property(i => i.SubscriptionType).HasMaxLength(100);
            e.Property(i => i.SkipCode).HasMaxLength(40);
            // I2: skips by reason over a period; with ThreadId the per-channel count reads the index alone (AnalyticsService).
            e.HasIndex(i => new { i.OrganizationId, i.Fate, i.OccurredAt, i.SkipCode, i.ThreadId });
        });
        modelBuilder.Entity<DedupKey>(e => e.HasKey(d => new { d.OrganizationId, d.Key }));
        modelBuilder.Entity<InboxLease>(e =>
        {
            e.HasKey(l => new { l.OrganizationId, l.OrderingKey });
            e.Property(l => l.OrderingKey).HasMaxLength(100);
            e.Property(l => l.Owner).HasMaxLength(200);
        });
        modelBuilder.Entity<HubSpot.PortalRateWindow>(e =>
        {
            e.HasKey(w => new { w.Key, w.Slot });
            e.Property(w => w.Key).HasMaxLength(100);
        });
        modelBuilder.Entity<Session>(e =>
        {
            e.HasIndex(s => new { s.OrganizationId, s.ThreadId }).IsUnique();
            e.HasIndex(s => new { s.OrganizationId, s.TicketId });
            e.Property(s => s.Channel).HasMaxLength(50);
            e.Property(s => s.Language).HasMaxLength(10);
            e.Property(s => s.HandoffTrigger).HasMaxLength(50);
            // I1: the conversations list, newest activity first, optionally by status; I2: conversations started in a period.
            e.HasIndex(s => new { s.OrganizationId, s.LastActivityAt });
            e.HasIndex(s => new { s.OrganizationId, s.Status, s.LastActivityAt });
            // I2: covering — every analytics figure over a period reads only this index, never the rows (at 200k conversations
            // a row lookup per conversation was most of a query's time on SQLite). HandoffReason stays out: free text of any length
            // would break PostgreSQL's limit on an index entry (about 2.7 kB). The prefix serves plain period filters too.
            e.HasIndex(s => new
            {
                s.OrganizationId, s.FirstCustomerMessageAt, s.Channel, s.AiReplies, s.FirstAiReplyAt, s.LastAiReplyAt, s.LastCustomerMessageAt,
                s.HandedOffAt, s.HumanTakeoverAt, s.HandoffTrigger, s.ThreadId,
            }).HasDatabaseName("IX_Sessions_OrganizationId_FirstCustomerMessageAt_Analytics");
        });
        modelBuilder.Entity<SessionMessage>(e =>
        {
            e.HasIndex(m => new { m.SessionId, m.HubSpotMessageId }).IsUnique();
        });
        modelBuilder.Entity<OutboundMessage>(e =>
        {
            e.HasIndex(m => new { m.OrganizationId, m.ForMessageId, m.Kind }).IsUnique();
            e.HasIndex(m => new { m.OrganizationId, m.PostedMessageId });
            // G4: the loop guard counts a thread's recent replies before each answer.
            e.HasIndex(m => new { m.OrganizationId, m.ThreadId });
        });
        modelBuilder.Entity<ServerSecret>(e => e.HasKey(s => s.Name));
        modelBuilder.Entity<EmailSignature>(e =>
        {
            e.HasIndex(s => new { s.OrganizationId, s.DomainPattern }).IsUnique();
            e.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(s => s.DomainPattern).HasMaxLength(255);
        });
        modelBuilder.Entity<WorkflowActions.WorkflowExecution>(e =>
        {
            e.HasIndex(w => w.CallbackId).IsUnique();
            e.Property(w => w.CallbackId).HasMaxLength(200);
            e.Property(w => w.Action).HasMaxLength(50);
        });
        modelBuilder.Entity<Conversations.ConversationControl>(e =>
        {
            e.HasKey(c => c.OrganizationId);
            e.HasOne<Organization>().WithOne().HasForeignKey<Conversations.ConversationControl>(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RoutingRule>(e =>
        {
            e.HasIndex(r => new { r.OrganizationId, r.Position });
            e.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(r => r.Channel).HasMaxLength(50);
            e.Property(r => r.Language).HasMaxLength(10);
            e.Property(r => r.Keywords).HasMaxLength(2000);
            e.Ignore(r => r.KeywordList);
        });
        Policies.PoliciesRegistration.Configure(modelBuilder);
        Deskbridge.BusinessHours.BusinessHoursRegistration.Configure(modelBuilder);
        Outcomes.OutcomesRegistration.Configure(modelBuilder);
    }
}

/// <summary>Secrets the server generates once and keeps (e.g. the webhook URL signing key).</summary>
public sealed class ServerSecret
{
    public required string Name { get; set; }
    public required string Value { get; set; }
}
