// Integration tests drive a real local stack: SQS redeliveries and saga timeouts take seconds.
jest.setTimeout(90_000);
