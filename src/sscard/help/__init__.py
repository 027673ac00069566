"""Help pages: the seed's FAQ, online vs counter, hotline hours, official channels."""
