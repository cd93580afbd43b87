"""The testnet session use case (imports only domain, ports and app errors)."""
