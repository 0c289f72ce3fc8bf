// Each class drives its own Chromium against its own Deskbridge and sandbox; on a 2-core machine two at once starve each
// other past Playwright's timeouts (a sign-in waited 30 s in CI), so the classes take turns.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
