using Jpki.Card.FaultHost;

return FaultHostProgram.Run(args, Console.Out, Console.Error);
