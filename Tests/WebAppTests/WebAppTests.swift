import HummingbirdTesting
import Testing
@testable import WebApp
