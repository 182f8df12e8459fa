// The anchor of bench/editor.ts: the plainest React Flow page, default nodes and edges, state
// through React Flow's own useNodesState/useEdgesState, the same graph fetched as JSON.
import { ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';

function Bare() {
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>([]);
  useEffect(() => {
    void fetch('./graph.json')
      .then((r) => r.json() as Promise<{ nodes: Node[]; edges: Edge[] }>)
      .then((g) => {
        setNodes(g.nodes);
        setEdges(g.edges);
      });
  }, [setNodes, setEdges]);
  return <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} fitView minZoom={0.05} />;
}

createRoot(document.getElementById('root')!).render(<Bare />);
