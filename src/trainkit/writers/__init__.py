"""Writers: each walks an assembled edition and writes one output format."""
