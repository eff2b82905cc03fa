"""Joint police–youth house presentations and the requests schools send."""
