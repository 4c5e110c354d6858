# frozen_string_literal: true

require_relative "lib/foo/version"

Gem::Specification.new do |spec|
  spec.name    = "foo"
  spec.version = Foo::VERSION
  spec.authors = ["Example Author"]
  spec.summary = "A gemspec as authors write it, copied where RubyGems keeps installed ones"
  spec.files   = Dir["lib/**/*.rb"]
end
