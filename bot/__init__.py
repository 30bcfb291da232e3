"""capex-watch: flags what five tech companies say about AI capex, cloud and data-centre energy."""
