using BenchmarkDotNet.Running;
using Deskbridge.Bench;

// dotnet run -c Release --project bench/Deskbridge.Bench -- ingress   (HTTP load: throughput, ack latency)
//   BENCH_POSTGRES=<server connection string>: also on PostgreSQL (a database of its own, dropped after), same run
// dotnet run -c Release --project bench/Deskbridge.Bench -- retention [events] [days]   (X5: database size with pruning on and off)
// dotnet run -c Release --project bench/Deskbridge.Bench -- burst [portals] [messages]   (P4: 3,000 messages over 30 portals against HubSpot's limits)
// dotnet run -c Release --project bench/Deskbridge.Bench -- soak [rate-per-second] [seconds]   (P5 memory, P6 reply overhead; separate processes)
// dotnet run -c Release --project bench/Deskbridge.Bench -- retrieval   (the embedding model's cost; BM25 vs hybrid on the evaluation sets)
// dotnet run -c Release --project bench/Deskbridge.Bench -- embedding original|quantized|accuracy   (P5: the model alone, fp32 or int8; their vectors compared)
// dotnet run -c Release --project bench/Deskbridge.Bench -- lingua   (P5: what language detection's models cost resident)
// dotnet run -c Release --project bench/Deskbridge.Bench -- conversations [sessions]   (I1: the conversations list's pages at 100,000 sessions)
// dotnet run -c Release --project bench/Deskbridge.Bench -- analytics [events] [conversations] [--postgres]   (I2: the analytics figures over 1M events; --postgres needs DESKBRIDGE_TEST_POSTGRES)
// dotnet run -c Release --project bench/Deskbridge.Bench -- micro     (BenchmarkDotNet: parsing, signatures)
var mode = args.FirstOrDefault() ?? "ingress";
switch (mode)
{
    case "ingress":
        await IngressLoad.RunAsync(args.Skip(1).ToArray());
        break;
    case "store":
        await StoreProbe.RunAsync();
        break;
    case "retention":
        await RetentionLoad.RunAsync(args.Skip(1).ToArray());
        break;
    case "burst":
        await BurstLoad.RunAsync(args.Skip(1).ToArray());
        break;
    case "soak":
        await SoakLoad.RunAsync(args.Skip(1).ToArray());
        break;
    case "analytics":
        await AnalyticsLoad.RunAsync(args.Skip(1).ToArray());
        break;
    case "retrieval":
        await RetrievalBench.RunAsync();
        break;
    case "embedding":
        await EmbeddingPrecisionBench.RunAsync(args.Skip(1).ToArray());
        break;
    case "lingua":
        LinguaProbe.Run();
        break;
    case "conversations":
        await ConversationsBench.RunAsync(args.Skip(1).ToArray());
        break;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(WebhookParsingBenchmarks).Assembly).Run(args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine("usage: Deskbridge.Bench ingress|store|retention|burst|soak|analytics|conversations|retrieval|embedding|lingua|micro");
        return 2;
}
return 0;
