await Deskbridge.DeskbridgeApp.RunAsync(args);
