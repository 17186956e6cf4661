// Stand-in for @tensorflow/tfjs-node: the pure-JS build, no native libtensorflow (see package.json).
module.exports = require('@tensorflow/tfjs');
